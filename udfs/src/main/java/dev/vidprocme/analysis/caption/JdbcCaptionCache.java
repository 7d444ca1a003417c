package dev.vidprocme.analysis.caption;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The caption cache in PostgreSQL ({@code caption_cache}, migration V5), shared by every run. */
public final class JdbcCaptionCache implements CaptionCache {
    private static final String SELECT =
            "SELECT c.image_sha256, c.model, c.prompt_sha256, c.caption, c.tags, c.objects,"
                    + " c.visible_text, c.input_tokens, c.output_tokens FROM caption_cache c JOIN"
                    + " unnest(?::text[], ?::text[], ?::text[]) AS k(image_sha256, model,"
                    + " prompt_sha256) USING (image_sha256, model, prompt_sha256)";
    private static final String UPSERT =
            "INSERT INTO caption_cache (image_sha256, model, prompt_sha256, caption, tags,"
                    + " objects, visible_text, input_tokens, output_tokens) VALUES (?, ?, ?, ?, ?,"
                    + " ?, ?, ?, ?) ON CONFLICT (image_sha256, model, prompt_sha256) DO UPDATE SET"
                    + " caption = EXCLUDED.caption, tags = EXCLUDED.tags, objects ="
                    + " EXCLUDED.objects, visible_text = EXCLUDED.visible_text, input_tokens ="
                    + " EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens";

    private final DataSource dataSource;

    public JdbcCaptionCache(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Map<CacheKey, CachedCaption> getAll(Collection<CacheKey> keys) {
        Map<CacheKey, CachedCaption> hits = new HashMap<>();
        if (keys.isEmpty()) {
            return hits;
        }
        List<CacheKey> list = new ArrayList<>(keys);
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(SELECT)) {
            select.setArray(1, texts(c, list.stream().map(CacheKey::imageSha256).toList()));
            select.setArray(2, texts(c, list.stream().map(CacheKey::model).toList()));
            select.setArray(3, texts(c, list.stream().map(CacheKey::promptSha256).toList()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    hits.put(
                            new CacheKey(rs.getString(1), rs.getString(2), rs.getString(3)),
                            new CachedCaption(
                                    rs.getString(4),
                                    strings(rs.getArray(5)),
                                    strings(rs.getArray(6)),
                                    rs.getString(7),
                                    rs.getLong(8),
                                    rs.getLong(9)));
                }
            }
            return hits;
        } catch (SQLException e) {
            throw new CaptionStoreException("cannot read the caption cache: " + e.getMessage(), e);
        }
    }

    @Override
    public void putAll(Map<CacheKey, CachedCaption> captions) {
        if (captions.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement upsert = c.prepareStatement(UPSERT)) {
            for (Map.Entry<CacheKey, CachedCaption> e : captions.entrySet()) {
                CacheKey key = e.getKey();
                CachedCaption value = e.getValue();
                upsert.setString(1, key.imageSha256());
                upsert.setString(2, key.model());
                upsert.setString(3, key.promptSha256());
                upsert.setString(4, value.caption());
                upsert.setArray(5, value.tags() == null ? null : texts(c, value.tags()));
                upsert.setArray(6, value.objects() == null ? null : texts(c, value.objects()));
                upsert.setString(7, value.text());
                upsert.setLong(8, value.inputTokens());
                upsert.setLong(9, value.outputTokens());
                upsert.addBatch();
            }
            upsert.executeBatch();
        } catch (SQLException e) {
            throw new CaptionStoreException("cannot write the caption cache: " + e.getMessage(), e);
        }
    }

    private static Array texts(Connection c, List<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? null : Arrays.asList((String[]) array.getArray());
    }
}
