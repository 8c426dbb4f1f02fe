//! Files held in memory: the sample plans `plancheck test` evaluates every rule on.

use std::collections::BTreeMap;

use anyhow::Result;

use super::{ReadError, Snapshot};

pub struct MemorySnapshot {
    name: String,
    files: BTreeMap<String, Vec<u8>>,
}

impl MemorySnapshot {
    pub fn new(name: impl Into<String>, files: &[(&str, &str)]) -> Self {
        MemorySnapshot {
            name: name.into(),
            files: files
                .iter()
                .map(|(p, t)| ((*p).to_string(), t.as_bytes().to_vec()))
                .collect(),
        }
    }
}

impl Snapshot for MemorySnapshot {
    fn describe(&self) -> String {
        self.name.clone()
    }

    fn files(&self) -> Result<Vec<String>> {
        Ok(self.files.keys().cloned().collect())
    }

    fn tracked(&self) -> Result<Vec<String>> {
        self.files()
    }

    fn read(&self, path: &str, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
        match self.files.get(path) {
            None => Ok(None),
            Some(b) if b.len() as u64 > limit => Err(ReadError::TooLarge {
                path: path.to_string(),
                size: b.len() as u64,
                limit,
            }),
            Some(b) => Ok(Some(b.clone())),
        }
    }

    fn size(&self, path: &str) -> Option<u64> {
        self.files.get(path).map(|b| b.len() as u64)
    }
}
