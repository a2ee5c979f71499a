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

/// Values kept for a few seconds, one per type: a burst of requests reads the database once. Whoever changes what a
/// value was read from forgets it at once in this process; other processes see the change within the age they ask.
#[derive(Clone, Default)]
pub struct Recent {
    entries: Arc<Mutex<Kept>>,
}

type Kept = HashMap<TypeId, (std::time::Instant, Arc<dyn Any + Send + Sync>)>;

impl Recent {
    /// The value of type `V` if it was kept less than `max_age` ago.
    pub fn get<V: Any + Send + Sync>(&self, max_age: std::time::Duration) -> Option<Arc<V>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (at, value) = entries.get(&TypeId::of::<V>())?;
        (at.elapsed() < max_age).then(|| value.clone().downcast::<V>().ok()).flatten()
    }

    pub fn put<V: Any + Send + Sync>(&self, value: Arc<V>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert(TypeId::of::<V>(), (std::time::Instant::now(), value));
    }

    pub fn forget<V: Any + Send + Sync>(&self) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).remove(&TypeId::of::<V>());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recent_value_is_kept_until_it_is_too_old_or_forgotten() {
        let recent = Recent::default();
        recent.put(Arc::new(7_u32));
        assert_eq!(recent.get::<u32>(std::time::Duration::from_secs(60)).as_deref(), Some(&7));
        assert_eq!(recent.get::<u64>(std::time::Duration::from_secs(60)), None);
        assert_eq!(recent.get::<u32>(std::time::Duration::ZERO), None);
        recent.forget::<u32>();
        assert_eq!(recent.get::<u32>(std::time::Duration::from_secs(60)), None);
    }

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
