package dev.vidprocme.analysis.caption;

import java.util.Collection;
import java.util.Map;

/** Captions already paid for, by content hash, model and prompt. */
public interface CaptionCache {
    /** The cached captions among {@code keys}; keys without one are absent from the map. */
    Map<CacheKey, CachedCaption> getAll(Collection<CacheKey> keys);

    /** Stores captions; a key already present is overwritten (same question, same answer). */
    void putAll(Map<CacheKey, CachedCaption> captions);
}
