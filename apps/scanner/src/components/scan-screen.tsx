'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ScanContext, ScanOutcome } from '../core/checkin.ts';
import { clockTime, presentOutcome, type ResultView } from '../core/present.ts';
import { createRepeatFilter } from '../core/repeat-filter.ts';
import { playFeedback } from '../device/feedback.ts';
import { type CachedUser, getDeviceId, getGate, setGate } from '../device/settings.ts';
import type { AttendeeMatch } from '../trpc/types.ts';
import { AttendeeSearch } from './attendee-search.tsx';
import { CameraView } from './camera-view.tsx';
import { GateForm } from './gate-form.tsx';
import { useOnline, useScannableEvents } from './hooks.ts';
import { ManualEntry } from './manual-entry.tsx';
import { ResultOverlay } from './result-overlay.tsx';
import { useQueueCounts, useScannerServices } from './services.tsx';

const ERROR_VIEW: ResultView = {
  tone: 'bad',
  code: 'error',
  source: 'device',
  label: 'Error',
  title: 'Could not check this code',
  details: ['Something went wrong on this device. Try again.'],
};

/** The door: camera, typed codes and attendee search for one event, and the answer full screen. */
export function ScanScreen({ user, offline }: { user: CachedUser; offline: boolean }) {
  const eventId = useSearchParams().get('event') ?? '';
  const events = useScannableEvents(user.id);
  const event = events.status === 'ready' ? events.events.find((e) => e.id === eventId) : undefined;
  const services = useScannerServices();
  const online = useOnline();
  const { pending } = useQueueCounts();
  const hasPending = useRef(false);
  useEffect(() => {
    hasPending.current = pending > 0;
  }, [pending]);

  // Read after hydration: localStorage does not exist on the server.
  const [gate, setGateState] = useState<string | null>(null);
  const [editingGate, setEditingGate] = useState(false);
  const [device, setDevice] = useState<string>('');
  useEffect(() => {
    setGateState(getGate());
    setDevice(getDeviceId());
  }, []);

  const [view, setView] = useState<{ id: number; view: ResultView } | null>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const viewRef = useRef<ResultView | null>(null);
  const filter = useMemo(() => createRepeatFilter(), []);

  const context: ScanContext = useMemo(
    () => ({
      eventId,
      userId: user.id,
      ...(gate ? { gate } : {}),
      ...(device ? { device } : {}),
    }),
    [eventId, user.id, gate, device],
  );

  const shown = useRef(0);
  const show = useCallback((next: ResultView | null) => {
    viewRef.current = next;
    shown.current += 1;
    setView(next && { id: shown.current, view: next });
    if (next) playFeedback(next.tone);
  }, []);

  const run = useCallback(
    async (attempt: () => Promise<ScanOutcome>) => {
      if (busyRef.current) return;
      busyRef.current = true;
      setBusy(true);
      try {
        const outcome = await attempt();
        const next = presentOutcome(outcome);
        if (next) show(next);
        // Back online with scans waiting: send them now rather than at the next tick.
        if (outcome.kind === 'answered' && hasPending.current)
          void services?.syncNow().catch(() => undefined);
      } catch (error) {
        console.error('Scan failed on this device:', error);
        show(ERROR_VIEW);
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
    },
    [services, show],
  );

  const scanPayload = useCallback(
    async (payload: string) => {
      if (!services) return;
      await run(() => services.flow.scan(payload, context));
    },
    [services, context, run],
  );

  const onCameraCode = useCallback(
    (code: string) => {
      const paused = viewRef.current !== null || busyRef.current;
      if (filter.accept(code, paused)) void scanPayload(code);
    },
    [filter, scanPayload],
  );

  const checkInAttendee = useCallback(
    async (match: AttendeeMatch) => {
      if (!services) return;
      await run(() =>
        services.flow.manual(
          { ticketId: match.ticketId, attendeeName: match.attendeeName },
          context,
        ),
      );
    },
    [services, context, run],
  );

  const dismiss = useCallback(() => show(null), [show]);

  if (!eventId) {
    return (
      <section className="card">
        <h1>No event chosen</h1>
        <Link href="/">Choose an event</Link>
      </section>
    );
  }
  if (gate === null) return <p className="muted">Loading…</p>;
  if (!gate || editingGate) {
    return (
      <GateForm
        initial={gate}
        onSave={(chosen) => {
          setGate(chosen);
          setGateState(getGate());
          setEditingGate(false);
        }}
      />
    );
  }

  return (
    <section className="scan" data-testid="scan-screen" data-event-id={eventId}>
      <div className="scan-head">
        <div>
          <h1 className="scan-title">{event?.title ?? 'Event'}</h1>
          <p className="muted">
            Gate <strong data-testid="gate-name">{gate}</strong>{' '}
            <button type="button" className="link-button" onClick={() => setEditingGate(true)}>
              change
            </button>{' '}
            · <Link href="/">other event</Link>
          </p>
        </div>
      </div>
      {events.status === 'ready' && !event && (
        <p className="notice" role="status">
          This event is not in your list{events.offline ? ' saved on this device' : ''}. Scans may
          be refused.
        </p>
      )}
      {event && new Date(event.checkInOpensAt).getTime() > Date.now() && (
        <p className="notice" role="status" data-testid="not-open-notice">
          Check-in opens at {clockTime()(new Date(event.checkInOpensAt))}: scans are refused until
          then.
        </p>
      )}
      {(offline || !online) && (
        <p className="notice" role="status">
          Offline: valid tickets are accepted on this device and synced when the connection is back.
        </p>
      )}
      <CameraView onCode={onCameraCode} />
      {busy && (
        <p className="checking" role="status" data-testid="scan-busy">
          Checking…
        </p>
      )}
      <ManualEntry onSubmit={scanPayload} disabled={busy || !services} />
      <AttendeeSearch eventId={eventId} onCheckIn={checkInAttendee} disabled={busy || !services} />
      {view && <ResultOverlay key={view.id} view={view.view} onDone={dismiss} />}
    </section>
  );
}
