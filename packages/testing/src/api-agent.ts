import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import superjson from 'superjson';

/**
 * A browser stand-in for tRPC over HTTP: sends from its own client address, keeps the session
 * cookie between calls and shows what the server last set.
 */
export class ApiAgent {
  cookie: string | undefined;
  lastSetCookies: string[] = [];
  private readonly client;

  constructor(
    endpointUrl: string,
    readonly ip = `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  ) {
    this.client = createTRPCUntypedClient({
      links: [
        httpLink({
          url: endpointUrl,
          transformer: superjson,
          fetch: async (url, options) => {
            const headers = new Headers(options?.headers);
            headers.set('x-forwarded-for', this.ip);
            if (this.cookie) headers.set('cookie', this.cookie);
            const response = await fetch(url, { ...options, headers } as RequestInit);
            this.lastSetCookies = response.headers.getSetCookie();
            for (const setCookie of this.lastSetCookies) {
              const [pair = ''] = setCookie.split(';');
              this.cookie = pair.endsWith('=') ? undefined : pair;
            }
            return response;
          },
        }),
      ],
    });
  }

  query(path: string, input?: unknown): Promise<unknown> {
    return this.client.query(path, input);
  }

  mutate(path: string, input?: unknown): Promise<unknown> {
    return this.client.mutation(path, input);
  }
}
