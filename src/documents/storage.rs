//! Where the bytes of uploaded documents live. The portal keeps them in a local directory
//! outside the web root; an S3-compatible object store can take its place by implementing
//! [`Storage`] (the names are random tokens, so any key-value store fits). The scanner runs on
//! a local staging copy before the bytes are handed to the store, so it works with either.

use std::io;
use std::path::PathBuf;

use actix_web::web::Bytes;
use futures_util::future::BoxFuture;

/// A flat store of files under opaque names.
pub trait Storage: Send + Sync {
    fn put(&self, name: &str, bytes: Bytes) -> BoxFuture<'static, io::Result<()>>;
    fn get(&self, name: &str) -> BoxFuture<'static, io::Result<Bytes>>;
    /// Removes the file; removing one that is not there is not an error.
    fn delete(&self, name: &str) -> BoxFuture<'static, io::Result<()>>;
    /// Every name held, for the orphan check.
    fn names(&self) -> BoxFuture<'static, io::Result<Vec<String>>>;
}

/// Files in one local directory (created on first write).
pub struct LocalDir {
    root: PathBuf,
}

impl LocalDir {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    /// The path of `name`; names are our random tokens, never a path from outside.
    fn path(&self, name: &str) -> io::Result<PathBuf> {
        let plain = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if plain {
            Ok(self.root.join(name))
        } else {
            Err(io::Error::new(io::ErrorKind::InvalidInput, "bad file name"))
        }
    }
}

impl Storage for LocalDir {
    fn put(&self, name: &str, bytes: Bytes) -> BoxFuture<'static, io::Result<()>> {
        let (root, path) = (self.root.clone(), self.path(name));
        Box::pin(async move {
            tokio::fs::create_dir_all(&root).await?;
            tokio::fs::write(path?, &bytes).await
        })
    }

    fn get(&self, name: &str) -> BoxFuture<'static, io::Result<Bytes>> {
        let path = self.path(name);
        Box::pin(async move { Ok(Bytes::from(tokio::fs::read(path?).await?)) })
    }

    fn delete(&self, name: &str) -> BoxFuture<'static, io::Result<()>> {
        let path = self.path(name);
        Box::pin(async move {
            match tokio::fs::remove_file(path?).await {
                Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
                _ => Ok(()),
            }
        })
    }

    fn names(&self) -> BoxFuture<'static, io::Result<Vec<String>>> {
        let root = self.root.clone();
        Box::pin(async move {
            let mut names = Vec::new();
            let mut entries = match tokio::fs::read_dir(&root).await {
                Ok(entries) => entries,
                Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(names),
                Err(error) => return Err(error),
            };
            while let Some(entry) = entries.next_entry().await? {
                if entry.file_type().await?.is_file() {
                    names.extend(entry.file_name().to_str().map(str::to_owned));
                }
            }
            Ok(names)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_local_directory_keeps_reads_and_forgets_files() -> io::Result<()> {
        let dir = std::env::temp_dir().join(format!("ansinh-store-{}", uuid::Uuid::new_v4()));
        let store = LocalDir::new(dir.clone());
        assert!(store.names().await?.is_empty());
        store.put("abc_1", Bytes::from_static(b"%PDF-1.7")).await?;
        assert_eq!(store.get("abc_1").await?, Bytes::from_static(b"%PDF-1.7"));
        assert_eq!(store.names().await?, ["abc_1"]);
        store.delete("abc_1").await?;
        store.delete("abc_1").await?;
        assert!(store.names().await?.is_empty());
        // A name from outside can never reach beyond the directory.
        assert!(store.get("../etc/passwd").await.is_err());
        assert!(store.put("a/b", Bytes::new()).await.is_err());
        tokio::fs::remove_dir_all(dir).await
    }
}
