package dev.vidprocme.api;

import java.io.InputStream;
import java.util.Locale;
import org.apache.commons.fileupload2.core.RequestContext;

/**
 * A request body as commons-fileupload sees it: content type, declared length and the raw stream.
 */
public final class StreamRequestContext implements RequestContext {
    private final String contentType;
    private final long contentLength;
    private final InputStream body;

    /**
     * @param contentLength the declared length, or -1 when unknown (chunked)
     */
    public StreamRequestContext(String contentType, long contentLength, InputStream body) {
        this.contentType = contentType;
        this.contentLength = contentLength;
        this.body = body;
    }

    @Override
    public String getCharacterEncoding() {
        if (contentType == null) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                return p.substring("charset=".length()).replace("\"", "").strip();
            }
        }
        return null;
    }

    @Override
    public long getContentLength() {
        return contentLength;
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public InputStream getInputStream() {
        return body;
    }

    @Override
    public boolean isMultipartRelated() {
        return false;
    }
}
