//! Results computed from the database, kept until what they were computed from changes: a warm request reads one
//! number (the fingerprint) instead of recomputing. Values of any type, so the core names no use case's types.

use std::{
    any::{Any, TypeId},
    collections::HashMap,
    sync::{Arc, Mutex},
};

use crate::i18n::Lang;

type Entries = HashMap<(TypeId, i64, Lang), (String, Arc<dyn Any + Send + Sync>)>;

#[derive(Clone, Default)]
pub struct Memo {
    entries: Arc<Mutex<Entries>>,
}

impl Memo {
    /// The value kept for `(id, lang)`, if it was computed from `fingerprint`.
    pub fn get<V: Any + Send + Sync>(&self, id: i64, lang: Lang, fingerprint: &str) -> Option<Arc<V>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (seen, value) = entries.get(&(TypeId::of::<V>(), id, lang))?;
        (seen == fingerprint).then(|| value.clone().downcast::<V>().ok()).flatten()
    }

    /// Keeps `value` for `(id, lang)`, computed from `fingerprint`.
    pub fn put<V: Any + Send + Sync>(&self, id: i64, lang: Lang, fingerprint: String, value: Arc<V>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert((TypeId::of::<V>(), id, lang), (fingerprint, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_kept_for_its_fingerprint_and_type() {
        let memo = Memo::default();
        memo.put(7, Lang::Pl, "3:abc".into(), Arc::new(42_u32));
        assert_eq!(memo.get::<u32>(7, Lang::Pl, "3:abc").as_deref(), Some(&42));
        assert_eq!(memo.get::<u32>(7, Lang::Pl, "4:abc"), None, "a new response changes the fingerprint");
        assert_eq!(memo.get::<u32>(7, Lang::En, "3:abc"), None);
        assert_eq!(memo.get::<String>(7, Lang::Pl, "3:abc"), None, "another type is another value");
    }
}
