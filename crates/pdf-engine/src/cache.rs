//! The rendered-page cache: least recently used entries go first once the encoded bytes exceed
//! the budget. Bounding by bytes, not entries, is what keeps memory flat whatever the page size,
//! scale and format mix.

use crate::document_id::DocumentId;
use crate::render_spec::{ImageFormat, Region, RenderedImage, Rotation};
use lru::LruCache;

/// Everything that makes two renders produce different bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub document: DocumentId,
    pub page: u32,
    /// `f32::to_bits` of the scale (scales are compared exactly, as requested).
    pub scale_bits: u32,
    pub rotation: Rotation,
    pub region: Option<Region>,
    pub format: ImageFormat,
}

/// A byte-bounded LRU map of rendered images.
pub struct PageCache {
    entries: LruCache<CacheKey, RenderedImage>,
    bytes: usize,
    budget: usize,
}

impl PageCache {
    pub fn new(budget_bytes: usize) -> Self {
        Self {
            entries: LruCache::unbounded(),
            bytes: 0,
            budget: budget_bytes,
        }
    }

    /// The image for `key`, marking it most recently used.
    pub fn get(&mut self, key: &CacheKey) -> Option<RenderedImage> {
        self.entries.get(key).cloned()
    }

    /// Whether `key` is cached, without touching its recency (prefetch checks).
    pub fn contains(&self, key: &CacheKey) -> bool {
        self.entries.contains(key)
    }

    /// Stores `image`, evicting the least recently used entries beyond the budget. An image
    /// larger than the whole budget is not kept.
    pub fn insert(&mut self, key: CacheKey, image: RenderedImage) {
        let size = image.data.len();
        if size > self.budget {
            return;
        }
        if let Some(old) = self.entries.put(key, image) {
            self.bytes -= old.data.len();
        }
        self.bytes += size;
        while self.bytes > self.budget {
            match self.entries.pop_lru() {
                Some((_, evicted)) => self.bytes -= evicted.data.len(),
                None => break,
            }
        }
    }

    /// Drops every entry of `document` (it was closed).
    pub fn remove_document(&mut self, document: DocumentId) {
        let keys: Vec<CacheKey> = self
            .entries
            .iter()
            .filter(|(k, _)| k.document == document)
            .map(|(k, _)| *k)
            .collect();
        for key in keys {
            if let Some(image) = self.entries.pop(&key) {
                self.bytes -= image.data.len();
            }
        }
    }

    /// Encoded bytes held now.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(page: u32) -> CacheKey {
        CacheKey {
            document: DocumentId::from_raw(1),
            page,
            scale_bits: 1.0f32.to_bits(),
            rotation: Rotation::None,
            region: None,
            format: ImageFormat::Webp,
        }
    }

    fn image(page: u32, size: usize) -> RenderedImage {
        RenderedImage {
            page,
            format: ImageFormat::Webp,
            width: 1,
            height: 1,
            data: vec![0u8; size].into(),
        }
    }

    #[test]
    fn the_least_recently_used_pages_go_first_when_over_budget() {
        let mut cache = PageCache::new(300);
        cache.insert(key(0), image(0, 100));
        cache.insert(key(1), image(1, 100));
        cache.insert(key(2), image(2, 100));
        assert!(cache.get(&key(0)).is_some()); // page 0 is now the most recent
        cache.insert(key(3), image(3, 100));
        assert!(cache.contains(&key(0)) && !cache.contains(&key(1)));
        assert!(cache.contains(&key(2)) && cache.contains(&key(3)));
        assert_eq!(cache.bytes(), 300);
    }

    #[test]
    fn replacing_an_entry_counts_its_bytes_once() {
        let mut cache = PageCache::new(1000);
        cache.insert(key(0), image(0, 100));
        cache.insert(key(0), image(0, 250));
        assert_eq!((cache.len(), cache.bytes()), (1, 250));
    }

    #[test]
    fn an_image_larger_than_the_budget_is_not_kept() {
        let mut cache = PageCache::new(50);
        cache.insert(key(0), image(0, 40));
        cache.insert(key(1), image(1, 60));
        assert!(cache.contains(&key(0)) && !cache.contains(&key(1)));
    }

    #[test]
    fn closing_a_document_drops_its_pages_only() {
        let mut cache = PageCache::new(1000);
        cache.insert(key(0), image(0, 100));
        let mut other = key(0);
        other.document = DocumentId::from_raw(2);
        cache.insert(other, image(0, 100));
        cache.remove_document(DocumentId::from_raw(1));
        assert_eq!((cache.len(), cache.bytes()), (1, 100));
        assert!(cache.contains(&other));
    }
}
