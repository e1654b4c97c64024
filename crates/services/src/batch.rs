//! Writer tasks for group commit (the mock-exam autosave, practice answers): requests queue
//! their work for a writer, which takes everything waiting, writes it in one transaction and
//! answers each request once it has committed.

use std::future::Future;
use std::sync::OnceLock;

use tokio::sync::{mpsc, oneshot};

/// Writer tasks each transaction waits on (one writes while another waits for its commit to
/// reach the disk).
const WRITERS: usize = 2;

/// What a writer answers a request: its result, or why its whole batch failed.
pub type Reply<R> = oneshot::Sender<Result<R, String>>;

/// The queues of an instance's writers, started on first use.
pub struct Writers<T> {
    queues: OnceLock<Vec<mpsc::UnboundedSender<T>>>,
}

impl<T> Default for Writers<T> {
    fn default() -> Self {
        Self {
            queues: OnceLock::new(),
        }
    }
}

impl<T: Send + 'static> Writers<T> {
    /// Queues `job` for the writer of `key` (one key always reaches the same writer, so a
    /// learner's batches never wait on each other's rows), starting the writers with `run` on
    /// first use, then waits for the answer. `None` when the batch failed (a deadlock with
    /// another instance, a lost connection) or the writer is gone: the caller takes its full
    /// path, which reports a database that is down as such. `what` names the work in the log.
    pub async fn send<R, F, Fut>(
        &self,
        key: i64,
        job: impl FnOnce(Reply<R>) -> T,
        run: F,
        what: &str,
    ) -> Option<R>
    where
        F: Fn(mpsc::UnboundedReceiver<T>) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let queues = self.queues.get_or_init(|| {
            (0..WRITERS)
                .map(|_| {
                    let (tx, rx) = mpsc::unbounded_channel();
                    tokio::spawn(run(rx));
                    tx
                })
                .collect()
        });
        let queue = &queues[key.rem_euclid(queues.len() as i64) as usize];
        let (reply, rx) = oneshot::channel();
        match (queue.send(job(reply)), rx.await) {
            (Ok(()), Ok(Ok(result))) => Some(result),
            (_, Ok(Err(err))) => {
                tracing::warn!(error = %err, "{what}: a batch failed; going one by one");
                None
            }
            _ => {
                tracing::error!("{what}: the writer stopped; going one by one");
                None
            }
        }
    }
}
