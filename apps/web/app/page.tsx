import { EventList } from '../src/components/event-list.tsx';
import { inputProblems, serverApi, trpcCode } from '../src/trpc/server.ts';
import { ExploreFilters } from './_explore/filters.tsx';
import { ForYou } from './_explore/for-you.tsx';
import { listInput, queryString, readQuery } from './_explore/query.ts';

// Filters come from the URL; every request lists what is on now.
export const dynamic = 'force-dynamic';

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

async function firstPage(input: ReturnType<typeof listInput>) {
  try {
    return { page: await (await serverApi()).explore.list(input), problems: [] };
  } catch (error) {
    if (trpcCode(error) !== 'BAD_REQUEST') throw error;
    return { page: null, problems: inputProblems(error) };
  }
}

/** Explore: the first page is rendered here, on the server; "Load more" pages in the browser. */
export default async function ExplorePage({ searchParams }: Props) {
  const query = readQuery(await searchParams);
  const input = listInput(query);
  const { page, problems } = await firstPage(input);
  // Keys reset the form's and the list's state when the filters change.
  const filters = queryString(query);
  const filtered = filters !== '';
  return (
    <>
      <section className="hero">
        <h1>Explore events</h1>
        <p>Concerts, meetups, food festivals and more: find something to do.</p>
      </section>
      {!filtered && <ForYou />}
      <ExploreFilters key={`filters${filters}`} query={query} />
      {problems.length > 0 && (
        <div role="alert" className="form-error">
          <p>These filters could not be applied:</p>
          <ul>
            {problems.map((problem) => (
              <li key={`${problem.field}:${problem.message}`}>{problem.message}</li>
            ))}
          </ul>
        </div>
      )}
      {page && (
        <EventList
          key={`list${filters}`}
          input={input}
          firstPage={page}
          emptyText={
            filtered
              ? 'No upcoming events match these filters. Try a wider search.'
              : 'No upcoming events yet. Check back soon.'
          }
        />
      )}
    </>
  );
}
