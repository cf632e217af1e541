'use client';

import { useEffect } from 'react';
import type { ResultView } from '../core/present.ts';

export const RESULT_MS = 2_500;

/**
 * The full-screen answer: green, yellow, red or blue, readable at arm's length. A tap (or
 * RESULT_MS) returns to scanning.
 */
export function ResultOverlay({ view, onDone }: { view: ResultView; onDone: () => void }) {
  useEffect(() => {
    const timer = setTimeout(onDone, RESULT_MS);
    return () => clearTimeout(timer);
  }, [onDone]);

  return (
    <button
      type="button"
      className={`result result-${view.tone}`}
      data-testid="scan-result"
      data-result={view.code}
      data-tone={view.tone}
      data-source={view.source}
      onClick={onDone}
      aria-live="assertive"
    >
      <span className="result-label">{view.label}</span>
      <span className="result-title" data-testid="scan-result-title">
        {view.title}
      </span>
      {view.details.map((line) => (
        <span key={line} className="result-detail">
          {line}
        </span>
      ))}
      <span className="result-hint">Tap to scan the next ticket</span>
    </button>
  );
}
