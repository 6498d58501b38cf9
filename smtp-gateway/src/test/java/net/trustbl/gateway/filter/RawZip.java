package net.trustbl.gateway.filter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Builds zip files byte by byte, including the ones java.util.zip refuses to write: STORED entries
 * with a data descriptor, local names that differ from the central directory, encrypted flags,
 * other compression methods, extra fields.
 */
public final class RawZip {

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final ByteArrayOutputStream central = new ByteArrayOutputStream();
    private int count;

    /** An ordinary entry: same name in both places, deflated, sizes in the local header. */
    public RawZip add(String name, byte[] content) {
        return add(name, name, 8, 0, content, new byte[0]);
    }

    /** flags bit 3 writes a data descriptor (with signature) and zero sizes in the local header. */
    public RawZip add(String localName, String centralName, int method, int flags, byte[] content, byte[] centralExtra) {
        byte[] stored = method == 8 ? deflate(content) : content;
        CRC32 crc = new CRC32();
        crc.update(content);
        boolean descriptor = (flags & 8) != 0;
        int offset = body.size();
        byte[] local = localName.getBytes(StandardCharsets.UTF_8);
        body.writeBytes(le(0x04034b50, 4, 20, 2, flags, 2, method, 2, 0, 4,
                descriptor ? 0 : crc.getValue(), 4, descriptor ? 0 : stored.length, 4, descriptor ? 0 : content.length, 4,
                local.length, 2, 0, 2));
        body.writeBytes(local);
        body.writeBytes(stored);
        if (descriptor) {
            body.writeBytes(le(0x08074b50, 4, crc.getValue(), 4, stored.length, 4, content.length, 4));
        }
        byte[] name = centralName.getBytes(StandardCharsets.UTF_8);
        central.writeBytes(le(0x02014b50, 4, 20, 2, 20, 2, flags, 2, method, 2, 0, 4, crc.getValue(), 4,
                stored.length, 4, content.length, 4, name.length, 2, centralExtra.length, 2, 0, 2, 0, 2, 0, 2, 0, 4, offset, 4));
        central.writeBytes(name);
        central.writeBytes(centralExtra);
        count++;
        return this;
    }

    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(body.toByteArray());
        out.writeBytes(central.toByteArray());
        out.writeBytes(le(0x06054b50, 4, 0, 2, 0, 2, count, 2, count, 2, central.size(), 4, body.size(), 4, 0, 2));
        return out.toByteArray();
    }

    /** An Info-ZIP Unicode Path extra field (0x7075) carrying name. */
    static byte[] unicodePath(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le(0x7075, 2, 5 + utf8.length, 2));
        out.write(1);
        out.writeBytes(le(0, 4));
        out.writeBytes(utf8);
        return out.toByteArray();
    }

    /** Pairs of (value, width in bytes), little-endian. */
    private static byte[] le(long... valueWidth) {
        List<Byte> bytes = new ArrayList<>();
        for (int i = 0; i < valueWidth.length; i += 2) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(valueWidth[i]);
            for (int k = 0; k < valueWidth[i + 1]; k++) {
                bytes.add(b.get(k));
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }

    private static byte[] deflate(byte[] content) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(content);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }
}
