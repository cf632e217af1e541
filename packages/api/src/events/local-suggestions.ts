import { EVENT_CATEGORIES, type EventCategory } from '@spot/db';
import type { EventDraft, EventSuggestion, SuggestionProvider } from './suggestions.ts';

/** Each word belongs to one category only, so a match never counts twice. */
const CATEGORY_KEYWORDS: Record<EventCategory, string> = {
  music:
    'music concert jazz band gig dj orchestra choir rock pop rap hiphop symphony opera acoustic singer songwriter quartet blues',
  sports:
    'sport run running marathon race football soccer basketball tennis yoga cycling hike hiking trail tournament fitness swim climbing',
  arts: 'art exhibition gallery painting theatre theater cinema film movie dance sculpture photography museum poetry comedy improv',
  food: 'food wine tasting dinner brunch cooking chef beer bbq cheese coffee restaurant vegan baking street',
  tech: 'tech typescript javascript python rust ai hackathon developer developers coding programming software cloud web data devops',
  business:
    'business founder founders startup networking investor investors pitch marketing sales entrepreneur leadership conference',
  community:
    'community volunteer volunteers charity neighbourhood neighborhood cleanup fundraiser family kids picnic meetup',
  education:
    'workshop course class lecture seminar training learn learning masterclass bootcamp tutorial beginners',
  nightlife: 'party club nightclub rave bar cocktail cocktails techno karaoke',
  other: '',
};

const CATEGORY_OF_KEYWORD = new Map(
  EVENT_CATEGORIES.flatMap((category) =>
    words(CATEGORY_KEYWORDS[category]).map((keyword) => [keyword, category] as const),
  ),
);

/** Words that say nothing about what happens. */
const FILLER_WORDS = new Set(
  words(
    'a an the my our your of and at in on for with to event events party meeting meetup thing stuff fun untitled test new tbd tba something night day',
  ),
);

const MIN_DESCRIPTION_LENGTH = 80;
const MAX_TAGS = 5;
const TITLE_WEIGHT = 2;

const MONTHS =
  'jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|june?|july?|aug(ust)?|sep(t|tember)?|oct(ober)?|nov(ember)?|dec(ember)?';
const WEEKDAYS = '(mon|tues|wednes|thurs|fri|satur|sun)day';
const DATE_OR_TIME = new RegExp(
  [
    `\\b(${MONTHS}|${WEEKDAYS})\\b`,
    // "may" alone is usually the verb.
    '\\b\\d{1,2}(st|nd|rd|th)?\\s+may\\b|\\bmay\\s+\\d{1,2}\\b',
    '\\b(today|tonight|tomorrow|weekend|noon|midnight|morning|afternoon|evening)\\b',
    '\\b\\d{1,4}[/.-]\\d{1,2}([/.-]\\d{1,4})?\\b', // 12/06, 2031-06-12
    '\\b\\d{1,2}(:\\d{2})?\\s?(am|pm)\\b', // 7pm, 7:30 pm
    '\\b\\d{1,2}(:|h)\\d{2}\\b', // 19:30, 19h30
  ].join('|'),
  'i',
);

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Plural forms find their keyword too ("concerts" → "concert"). */
function keywordOf(word: string): string | undefined {
  if (CATEGORY_OF_KEYWORD.has(word)) return word;
  const singular = word.endsWith('s') ? word.slice(0, -1) : undefined;
  return singular && CATEGORY_OF_KEYWORD.has(singular) ? singular : undefined;
}

function suggestCategoryAndTags(draft: EventDraft): Pick<EventSuggestion, 'category' | 'tags'> {
  const keywordWeights = new Map<string, number>();
  const weighted = [
    ...words(draft.title).map((word) => [word, TITLE_WEIGHT] as const),
    ...words(draft.description).map((word) => [word, 1] as const),
  ];
  for (const [word, weight] of weighted) {
    const keyword = keywordOf(word);
    if (keyword) keywordWeights.set(keyword, (keywordWeights.get(keyword) ?? 0) + weight);
  }
  const scores = new Map<EventCategory, number>();
  for (const [keyword, weight] of keywordWeights) {
    const category = CATEGORY_OF_KEYWORD.get(keyword) as EventCategory;
    scores.set(category, (scores.get(category) ?? 0) + weight);
  }
  // Ties go to the category listed first, so the answer never depends on word order.
  let category: EventCategory = 'other';
  for (const candidate of EVENT_CATEGORIES) {
    if ((scores.get(candidate) ?? 0) > (scores.get(category) ?? 0)) category = candidate;
  }
  // Map iteration follows first appearance, and the sort is stable: heavier first, then earlier.
  const tags = [...keywordWeights]
    .sort(([, a], [, b]) => b - a)
    .slice(0, MAX_TAGS)
    .map(([keyword]) => keyword);
  return { category, tags };
}

function warningsFor(draft: EventDraft): EventSuggestion['warnings'] {
  const warnings: EventSuggestion['warnings'] = [];
  const titleWords = words(draft.title);
  if (titleWords.length < 2 || titleWords.every((word) => FILLER_WORDS.has(word))) {
    warnings.push({
      code: 'vague_title',
      message: 'The title is vague: say what happens, e.g. "Jazz quartet by the river".',
    });
  }
  const descriptionLength = draft.description.trim().length;
  if (descriptionLength < MIN_DESCRIPTION_LENGTH) {
    warnings.push({
      code: 'short_description',
      message: `The description is short (${descriptionLength} of at least ${MIN_DESCRIPTION_LENGTH} characters): say what to expect and who it is for.`,
    });
  }
  if (!DATE_OR_TIME.test(`${draft.title}\n${draft.description}`)) {
    warnings.push({
      code: 'missing_date',
      message: 'No date or time is mentioned: say when it starts so people can plan.',
    });
  }
  return warnings;
}

/** Keyword and heuristic based: no network, and the same draft always gets the same answer. */
export const localSuggestions: SuggestionProvider = {
  name: 'local',
  async suggest(draft) {
    return { ...suggestCategoryAndTags(draft), warnings: warningsFor(draft) };
  },
};
