package layerfd.client.apply.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import layerfd.client.apply.ApplyException;
import layerfd.client.testing.FdLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FdLeakCheck.class)
class PaxRecordsTest {
    /** One record as POSIX pax writes it: the length counts its own digits too. */
    private static byte[] record(String key, byte[] value) {
        byte[] body = (" " + key + "=").getBytes(StandardCharsets.UTF_8);
        int length = body.length + value.length + 1;
        int total = length + Integer.toString(length).length();
        if (Integer.toString(total).length() != Integer.toString(length).length()) {
            total++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Integer.toString(total).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        out.writeBytes(value);
        out.write('\n');
        return out.toByteArray();
    }

    private static Map<String, byte[]> parse(byte[]... records) throws ApplyException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] r : records) {
            out.writeBytes(r);
        }
        byte[] data = out.toByteArray();
        return PaxRecords.parse(data, data.length);
    }

    @Test
    void binaryValueWithNulAndNewlineIsKeptExactly() throws ApplyException {
        byte[] value = {0, '\n', (byte) 0xff, '=', ' '};
        Map<String, byte[]> r = parse(record("SCHILY.xattr.user.bin", value), record("path", "a/b".getBytes()));
        assertArrayEquals(value, r.get("SCHILY.xattr.user.bin"));
        assertArrayEquals("a/b".getBytes(), r.get("path"));
    }

    @Test
    void laterRecordOfTheSameKeyWins() throws ApplyException {
        Map<String, byte[]> r = parse(record("uid", "1".getBytes()), record("uid", "2".getBytes()));
        assertArrayEquals("2".getBytes(), r.get("uid"));
    }

    @Test
    void lengthPastTheDataIsMalformed() {
        byte[] data = "30 path=x\n".getBytes(StandardCharsets.US_ASCII);
        ApplyException e = assertThrows(ApplyException.class, () -> PaxRecords.parse(data, data.length));
        assertEquals("tar header field PAX record: bad length 30 at offset 0", e.getMessage());
    }

    @Test
    void recordWithoutEqualsIsMalformed() {
        byte[] data = "9 pathx\n".getBytes(StandardCharsets.US_ASCII);
        assertThrows(ApplyException.class, () -> PaxRecords.parse(data, data.length));
    }

    @Test
    void timesWithFractionsAndBeforeTheEpoch() throws ApplyException {
        assertArrayEquals(new long[] {1614834367, 123456789}, PaxRecords.time("1614834367.123456789".getBytes()));
        assertArrayEquals(new long[] {5, 500000000}, PaxRecords.time("5.5".getBytes()));
        assertArrayEquals(new long[] {5, 123456789}, PaxRecords.time("5.1234567891".getBytes()));
        assertArrayEquals(new long[] {-2, 750000000}, PaxRecords.time("-1.25".getBytes()));
        assertArrayEquals(new long[] {-7, 0}, PaxRecords.time("-7".getBytes()));
        assertThrows(ApplyException.class, () -> PaxRecords.time("1e9".getBytes()));
        assertThrows(ApplyException.class, () -> PaxRecords.time(".5".getBytes()));
    }
}
