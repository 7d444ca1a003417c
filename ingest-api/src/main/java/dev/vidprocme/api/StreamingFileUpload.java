package dev.vidprocme.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;

/**
 * commons-fileupload's streaming parser bound to {@link StreamRequestContext}. Only the iterator is
 * offered: the buffering entry points would spool parts to memory or disk, which uploads must not
 * do.
 */
final class StreamingFileUpload
        extends AbstractFileUpload<StreamRequestContext, DiskFileItem, DiskFileItemFactory> {

    /**
     * @param sizeMax the most bytes the whole body may have, -1 for no limit
     */
    StreamingFileUpload(long sizeMax) {
        setSizeMax(sizeMax);
        setFileSizeMax(-1);
        // Browsers send file names as raw UTF-8 in the part headers.
        setHeaderCharset(StandardCharsets.UTF_8);
    }

    @Override
    public FileItemInputIterator getItemIterator(StreamRequestContext request)
            throws FileUploadException, IOException {
        return super.getItemIterator((org.apache.commons.fileupload2.core.RequestContext) request);
    }

    @Override
    public Map<String, List<DiskFileItem>> parseParameterMap(StreamRequestContext request) {
        throw new UnsupportedOperationException("buffers whole parts; use getItemIterator");
    }

    @Override
    public List<DiskFileItem> parseRequest(StreamRequestContext request) {
        throw new UnsupportedOperationException("buffers whole parts; use getItemIterator");
    }
}
