import type { RecommendedAlarm } from '@mfc/contracts';
import { useEffect, useState } from 'react';
import { useCreateRecommendedAlarm } from '../api/mutations';
import { Dialog, SubmitFooter } from '../components/Dialog';
import { InlineError } from '../components/States';
import { toast } from '../components/Toaster';
import { describeAlarmRequest } from './alarm-request';
import '../styles/alarms.css';

/**
 * The recommended restart-loop alarm, shown in full before it is created: why, what it watches in words,
 * and the exact PutMetricAlarm request (JSON and CLI line), so an operator can also make it with their
 * own tooling.
 */
export function RecommendedAlarmDialog({
  app,
  recommended,
  onClose,
}: {
  app: string;
  recommended: RecommendedAlarm;
  onClose: () => void;
}) {
  const create = useCreateRecommendedAlarm(app);
  const json = JSON.stringify(recommended.request, null, 2);
  const submit = () => {
    if (create.isPending) return;
    create.mutate(undefined, {
      onSuccess: (r) => {
        toast(r.message, 'success');
        onClose();
      },
    });
  };
  return (
    <Dialog
      title={`Create the alarm ${recommended.name}`}
      onClose={onClose}
      size="wide"
      testId="recommended-alarm-dialog"
      onSubmit={submit}
      footer={
        <SubmitFooter
          onCancel={onClose}
          label={create.isPending ? 'Creating…' : 'Create alarm'}
          disabled={create.isPending}
          autoFocus
        />
      }
    >
      <p data-testid="recommended-alarm-rationale">{recommended.rationale}</p>
      <dl className="kv alarm-request" data-testid="recommended-alarm-summary">
        {describeAlarmRequest(recommended.request).map((l) => (
          <div key={l.term} className="alarm-request__line">
            <dt>{l.term}</dt>
            <dd>{l.term === 'Expression' ? <code>{l.detail}</code> : l.detail}</dd>
          </div>
        ))}
      </dl>
      <CodeBlock title="PutMetricAlarm request" text={json} testId="recommended-alarm-json" what="the request JSON" />
      <CodeBlock
        title="The same with the AWS CLI"
        text={recommended.cli}
        testId="recommended-alarm-cli"
        what="the CLI command"
      />
      <InlineError error={create.error} />
    </Dialog>
  );
}

/** Read-only code with a copy button; the block scrolls, so it takes focus for keyboard scrolling. */
function CodeBlock({ title, text, testId, what }: { title: string; text: string; testId: string; what: string }) {
  return (
    <div className="code-block">
      <div className="code-block__head">
        <span className="code-block__title">{title}</span>
        <CopyButton text={text} what={what} testId={`${testId}-copy`} />
      </div>
      <pre className="code-block__text" tabIndex={0} aria-label={title} data-testid={testId}>
        {text}
      </pre>
    </div>
  );
}

function CopyButton({ text, what, testId }: { text: string; what: string; testId: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2_000);
    return () => clearTimeout(t);
  }, [state]);
  const said = state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy: select the text' : '';
  return (
    <span className="copy">
      {said ? (
        <span className="copy__said small muted" aria-hidden="true">
          {said}
        </span>
      ) : null}
      <button
        type="button"
        className="button button--small"
        data-testid={testId}
        data-state={state}
        onClick={() => {
          // The clipboard API exists only in a secure context (https, or localhost).
          const write = navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error('none'));
          write.then(
            () => setState('copied'),
            () => setState('failed'),
          );
        }}
      >
        Copy<span className="visually-hidden"> {what}</span>
      </button>
      <span className="visually-hidden" role="status">
        {said}
      </span>
    </span>
  );
}
