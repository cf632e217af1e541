import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUYERS,
  type JazzNight,
  makePro,
  seedJazzNight,
  useExports,
} from './analytics-fixtures.ts';
import { userIdOf } from './events-fixtures.ts';
import { type Agent, useApi } from './harness.ts';

const api = useApi('spot_api_analytics_export');
const download = useExports();

const UTF8_BOM = [0xef, 0xbb, 0xbf];

describe('CSV exports of bookings and check-ins', () => {
  let organizer: Agent;
  let jazz: JazzNight;

  beforeAll(async () => {
    organizer = await api.signedIn('organizer');
    await makePro(organizer);
    jazz = await seedJazzNight(await userIdOf(organizer), 'Zoë’s Café — Late Show!');
  });

  async function exported(kind: string, query = '') {
    const response = await download(organizer, jazz.eventId, kind, query);
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { response, bytes, text: new TextDecoder().decode(bytes) };
  }

  it('is a UTF-8 file with a byte order mark, a safe file name and no caching', async () => {
    const { response, bytes } = await exported('bookings');
    expect([...bytes.slice(0, 3)]).toEqual(UTF8_BOM);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="bookings-zoe-s-cafe-late-show-2025-03-30.csv"',
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('writes RFC 4180 records: CRLF, quotes doubled, commas and line breaks quoted', async () => {
    const { text } = await exported('bookings');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).toContain(',"Danny ""The Kid"" O\'Brien, Jr.",');
    expect(text).toContain(',"Ann\nLee",');
    // A formula-like cell gets its apostrophe inside the quotes.
    expect(text).toContain(',"\'=HYPERLINK(""http://evil.example"",""click"")",');
  });

  it('round-trips through a CSV parser with every tricky name intact and formulas defused', async () => {
    const { text } = await exported('bookings');
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'Booked at (UTC)',
      'Attendee',
      'Email',
      'Ticket code',
      'Status',
      'Checked in at (UTC)',
      'Price',
      'Currency',
      'Refunded',
    ]);
    expect(rows).toHaveLength(8);
    const attendees = rows.map((row) => row.Attendee);
    expect(attendees.filter((name) => name === BUYERS.zoe.name)).toHaveLength(2);
    expect(attendees).toContain(BUYERS.danny.name);
    expect(attendees).toContain(BUYERS.multiline.name);
    expect(attendees).toContain(`'${BUYERS.formula.name}`);
    expect(rows.find((row) => row.Currency === 'USD')?.Email).toMatch(/^'\+dee\./);

    // Oldest first; amounts in major units; refunds and check-ins as recorded.
    expect(rows[0]).toMatchObject({
      'Booked at (UTC)': '2025-03-28 10:00:00',
      Attendee: BUYERS.zoe.name,
      Status: 'checked in',
      'Checked in at (UTC)': '2025-03-30 17:02:00',
      Price: '25.00',
      Currency: 'EUR',
      Refunded: 'no',
    });
    expect(rows.find((row) => row.Currency === 'USD')).toMatchObject({
      Status: 'booked',
      'Checked in at (UTC)': '',
      Price: '30.00',
    });
    expect(rows.find((row) => row.Attendee === BUYERS.multiline.name)).toMatchObject({
      Status: 'cancelled',
      Refunded: 'yes',
    });
    expect(rows.every((row) => /^[0-9a-f-]{36}$/.test(row['Ticket code'] ?? ''))).toBe(true);
  });

  it("writes times in the zone asked for (the organizer's browser zone)", async () => {
    const { text } = await exported('bookings', '?timezone=Europe/Paris');
    const [first] = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    // Paris was UTC+1 on the 28th and UTC+2 from the 30th, 01:00 UTC.
    expect(first).toMatchObject({
      'Booked at (Europe/Paris)': '2025-03-28 11:00:00',
      'Checked in at (Europe/Paris)': '2025-03-30 19:02:00',
    });
  });

  it('exports check-ins in scan order, with the gate, the method and who scanned', async () => {
    const { text } = await exported('check-ins');
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    const organizerName = ((await organizer.query('auth.me')) as { name: string }).name;
    expect(rows.map((row) => [row['Scanned at (UTC)'], row.Attendee])).toEqual([
      ['2025-03-30 17:02:00', BUYERS.zoe.name],
      ['2025-03-30 17:04:00', BUYERS.zoe.name],
      ['2025-03-30 17:12:00', `'${BUYERS.formula.name}`],
      ['2025-03-30 17:31:00', `'${BUYERS.formula.name}`],
    ]);
    expect(rows[0]).toMatchObject({
      Gate: 'North, main',
      Method: 'scan',
      'Scanned by': organizerName,
    });
    expect(text).toContain(',"North, main",');
  });
});
