import { getConfig } from '@spot/config';
import type { EventCategory } from '@spot/db';
import { localSuggestions } from './local-suggestions.ts';

export interface EventDraft {
  title: string;
  description: string;
}

export type SuggestionWarningCode = 'vague_title' | 'short_description' | 'missing_date';

export interface EventSuggestion {
  category: EventCategory;
  tags: string[];
  warnings: Array<{ code: SuggestionWarningCode; message: string }>;
}

/** Advice on a draft before it is saved; never mandatory, never blocking. */
export interface SuggestionProvider {
  readonly name: string;
  suggest(draft: EventDraft): Promise<EventSuggestion>;
}

/** Providers by the name SUGGEST_PROVIDER selects; an LLM-backed one is registered here. */
const PROVIDERS: Record<string, SuggestionProvider> = {
  [localSuggestions.name]: localSuggestions,
};

/** The selected provider; a name nobody registered is a deployment mistake, so it fails loudly. */
export function suggestionProvider(name = getConfig().SUGGEST_PROVIDER): SuggestionProvider {
  const provider = PROVIDERS[name];
  if (!provider) throw new Error(`SUGGEST_PROVIDER "${name}" is not a known suggestion provider`);
  return provider;
}
