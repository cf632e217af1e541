/**
 * CSV as RFC 4180 writes it: fields separated by commas, records ended by CRLF, a field quoted
 * when it holds a comma, a quote or a line break, with its quotes doubled. UTF-8 with a byte
 * order mark, so Excel reads accents and non-Latin names right.
 *
 * CSV injection: spreadsheet apps run a cell that starts with = + - @ (or a tab or carriage
 * return) as a formula, e.g. an attendee named `=HYPERLINK("http://evil","click")`. Such a cell
 * is written with a leading apostrophe ("'=HYPERLINK…", OWASP's advice), which spreadsheets show
 * as text; the apostrophe is visible to other CSV readers, a price we accept for safety. Every
 * text cell gets it, names and emails alike; numbers are written as they are.
 */

export type CsvCell = string | number | null;

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
const BYTE_ORDER_MARK = '\uFEFF';
/** Rows per chunk written to the response: large enough to keep per-chunk overhead low. */
const ROWS_PER_CHUNK = 256;

export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  const text = typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRecord(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * The CSV file as a stream: the header first, then rows pulled from `rows` only as fast as the
 * reader takes them, so memory holds a chunk at a time whatever the number of rows. Cancelling
 * the stream (the download was aborted) ends `rows`, which closes its database cursor.
 */
export function csvStream(
  header: readonly string[],
  rows: AsyncIterable<readonly CsvCell[]>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = rows[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(BYTE_ORDER_MARK + csvRecord(header)));
      },
      async pull(controller) {
        let chunk = '';
        for (let count = 0; count < ROWS_PER_CHUNK; count += 1) {
          const next = await iterator.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += csvRecord(next.value);
        }
        controller.enqueue(encoder.encode(chunk));
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    // One chunk queued ahead of the reader at most.
    { highWaterMark: 1 },
  );
}
