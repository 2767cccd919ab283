//! JSON-lines files that grow one record per line as work finishes (a sweep's
//! `results.jsonl`, an optimise journal), each line written and synced at once.
//!
//! The torn-line rule: a process killed while writing (`kill -9`, a power cut) can leave a
//! last line without its newline. Such a line is incomplete by construction, so readers
//! ignore it ([`complete`], [`read`]) and an [`Appender`] cuts it off before writing, so the
//! next record starts on a clean line. Blank lines are skipped; any other line that does not
//! parse is an error.

use crate::error::Error;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

/// Length of the complete part of `bytes`: up to and including the last `\n` (0 when there
/// is none), i.e. everything but a torn last line.
pub fn complete_len(bytes: &[u8]) -> usize {
    bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
}

/// The complete lines of `text` (see [`complete_len`]).
pub fn complete(text: &str) -> &str {
    &text[..complete_len(text.as_bytes())]
}

/// Every record of the JSON-lines file `path`, in file order: a torn last line is ignored,
/// blank lines are skipped, and a line that is not a `T` is the error
/// `file = PATH: line N is not WHAT: why` (N counted from 1 over all lines).
pub fn read<T: DeserializeOwned>(path: &Path, what: &str) -> Result<Vec<T>, Error> {
    let text = super::read_input_text(path).map_err(|e| super::bad_file(path, e))?;
    complete(&text)
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| {
                let why = crate::config::words::humanise(&e.to_string());
                super::bad_file(path, format!("line {} is not {what}: {why}", i + 1))
            })
        })
        .collect()
}

/// Appends records to one JSON-lines file, each line written and synced at once.
pub struct Appender {
    file: Mutex<File>,
    /// Names the file in write errors (`LABEL: why`).
    label: String,
}

impl Appender {
    /// Opens (creating) `path` for appending under an exclusive lock (released when the
    /// process ends, however it ends), then cuts off a torn last line. `busy()` is the error
    /// when another process holds the lock; write errors are named by `label`.
    pub fn open(path: &Path, label: impl std::fmt::Display, busy: impl FnOnce() -> Error) -> Result<Self, Error> {
        let err = |e: std::io::Error| Error::io(path.display(), e);
        let mut file = OpenOptions::new().read(true).append(true).create(true).open(path).map_err(err)?;
        if let Err(e) = file.try_lock() {
            return Err(match e {
                std::fs::TryLockError::WouldBlock => busy(),
                std::fs::TryLockError::Error(e) => err(e),
            });
        }
        let mut text = Vec::new();
        file.read_to_end(&mut text).map_err(err)?;
        let keep = complete_len(&text);
        if keep < text.len() {
            file.set_len(keep as u64).map_err(err)?;
            file.seek(SeekFrom::End(0)).map_err(err)?;
        }
        Ok(Appender { file: Mutex::new(file), label: label.to_string() })
    }

    /// Appends `value` as one JSON line and syncs it to disk.
    pub fn append<T: Serialize>(&self, value: &T) -> Result<(), Error> {
        let err = |e: &dyn std::fmt::Display| Error::io(&self.label, e);
        let mut line = serde_json::to_string(value).map_err(|e| err(&e))?;
        line.push('\n');
        let mut f = self.file.lock().map_err(|_| err(&"writer poisoned"))?;
        f.write_all(line.as_bytes()).map_err(|e| err(&e))?;
        f.sync_data().map_err(|e| err(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        i: usize,
    }

    #[test]
    fn a_torn_last_line_is_ignored_by_readers_and_cut_off_by_appenders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        std::fs::write(&path, "{\"i\":1}\n\n{\"i\":2}\n{\"i\":").unwrap();
        assert_eq!(complete("a\nb"), "a\n");
        assert_eq!(complete("no newline"), "");
        let rows: Vec<Row> = read(&path, "a row").unwrap();
        assert_eq!(rows, vec![Row { i: 1 }, Row { i: 2 }]);
        let log = Appender::open(&path, "log", || unreachable!("not locked")).unwrap();
        log.append(&Row { i: 3 }).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"i\":1}\n\n{\"i\":2}\n{\"i\":3}\n");
        // A second writer is refused while the first holds the file.
        let busy = Appender::open(&path, "log", || Error::io("busy", "locked"));
        assert_eq!(busy.err().map(|e| e.to_string()), Some("busy: locked".into()));
    }

    #[test]
    fn a_bad_complete_line_names_the_file_and_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        std::fs::write(&path, "{\"i\":1}\n\nnot json\n").unwrap();
        let e = read::<Row>(&path, "a row").unwrap_err().to_string();
        assert!(e.contains("log.jsonl") && e.contains("line 3 is not a row"), "{e}");
    }
}
