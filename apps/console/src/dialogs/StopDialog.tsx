import type { ApplicationView } from '@mfc/contracts';
import { useAppAction } from '../api/mutations';
import { Dialog, SubmitFooter } from '../components/Dialog';
import { InlineError } from '../components/States';
import { toast } from '../components/Toaster';

/** A graceful stop is not destructive (state is snapshotted when snapshots are on): a plain confirmation. */
export function StopDialog({ app, onClose }: { app: ApplicationView; onClose: () => void }) {
  const action = useAppAction(app.name);
  const submit = () =>
    action.mutate(
      { kind: 'stop', body: { force: false } },
      {
        onSuccess: (r) => {
          toast(r.message, 'success');
          onClose();
        },
      },
    );
  return (
    <Dialog
      title={`Stop ${app.name}`}
      onClose={onClose}
      testId="stop-dialog"
      onSubmit={submit}
      footer={
        <SubmitFooter
          onCancel={onClose}
          label={action.isPending ? 'Stopping…' : 'Stop'}
          disabled={action.isPending}
          autoFocus
        />
      }
    >
      <div className="what-happens" data-testid="stop-consequence">
        {app.snapshotsEnabled ? (
          <p>
            A snapshot of the job&apos;s state is taken, then the job stops and the application becomes READY. A later
            start restores from that snapshot.
          </p>
        ) : (
          <p className="text-danger">
            Snapshots are off for this application: no snapshot is taken, and a later start restores only an older
            snapshot (if any).
          </p>
        )}
      </div>
      <InlineError error={action.error} />
    </Dialog>
  );
}
