package dev.vidprocme.analysis.caption;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A caption cache that lives as long as the process: for tests and single-run tools. */
public final class InMemoryCaptionCache implements CaptionCache {
    private final Map<CacheKey, CachedCaption> entries = new ConcurrentHashMap<>();

    @Override
    public Map<CacheKey, CachedCaption> getAll(Collection<CacheKey> keys) {
        Map<CacheKey, CachedCaption> hits = new HashMap<>();
        for (CacheKey key : keys) {
            CachedCaption hit = entries.get(key);
            if (hit != null) {
                hits.put(key, hit);
            }
        }
        return hits;
    }

    @Override
    public void putAll(Map<CacheKey, CachedCaption> captions) {
        entries.putAll(captions);
    }

    public int size() {
        return entries.size();
    }
}
