/**
 * `request` with its body cut off at `maxBytes`: reading further fails with `tooLarge()`, so no
 * client can make the server buffer an endless body. A body whose declared length fits needs no
 * counting: the HTTP server holds it to that length.
 */
export function withBodyLimit(request: Request, maxBytes: number, tooLarge: () => Error): Request {
  const declared = request.headers.get('content-length');
  if (!request.body || (declared !== null && Number(declared) <= maxBytes)) return request;
  let size = 0;
  const limited = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(request, { body: limited, duplex: 'half' } as RequestInit);
}
