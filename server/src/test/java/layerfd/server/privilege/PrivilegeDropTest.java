package layerfd.server.privilege;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** How the re-executed server recognises itself, decided without processes. */
class PrivilegeDropTest {
    private static final long PID = 4711;

    @Test
    void onlyTheProcessWithTheRecordedPidIsTheSecondStage() {
        assertEquals(Optional.of(new PrivilegeDrop.Reexecuted(OptionalInt.of(23))), PrivilegeDrop.reexecuted(
                Map.of(PrivilegeDrop.REEXEC_PID, "4711", PrivilegeDrop.LISTEN_FD, "23"), PID));
        assertEquals(Optional.of(new PrivilegeDrop.Reexecuted(OptionalInt.empty())), PrivilegeDrop.reexecuted(
                Map.of(PrivilegeDrop.REEXEC_PID, "4711"), PID), "socket-activated: fd 3 comes from LISTEN_FDS");
        assertEquals(Optional.empty(), PrivilegeDrop.reexecuted(
                Map.of(PrivilegeDrop.REEXEC_PID, "1", PrivilegeDrop.LISTEN_FD, "23"), PID),
                "a child that inherited the variables is not the second stage");
        assertEquals(Optional.empty(), PrivilegeDrop.reexecuted(Map.of(PrivilegeDrop.LISTEN_FD, "23"), PID));
        assertEquals(Optional.empty(), PrivilegeDrop.reexecuted(Map.of(), PID));
    }

    @Test
    void aListenFdThatIsNoNumberIsAnErrorNamingTheVariable() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PrivilegeDrop.reexecuted(
                Map.of(PrivilegeDrop.REEXEC_PID, "4711", PrivilegeDrop.LISTEN_FD, "x"), PID));
        assertEquals("LAYERFD_REEXEC_LISTEN_FD is not a descriptor number: 'x'", e.getMessage());
    }

    @Test
    void procCmdlineSplitsAtNulBytesKeepingEmptyArgumentsAndRawBytes() {
        byte[] cmdline = {'j', 0, 0, '-', (byte) 0xff, 0, 'x'};
        List<byte[]> strings = PrivilegeDrop.nulSeparated(cmdline);
        assertEquals(4, strings.size());
        assertArrayEquals("j".getBytes(StandardCharsets.US_ASCII), strings.get(0));
        assertArrayEquals(new byte[0], strings.get(1), "an empty argument stays");
        assertArrayEquals(new byte[] {'-', (byte) 0xff}, strings.get(2), "not UTF-8, passed on unchanged");
        assertArrayEquals("x".getBytes(StandardCharsets.US_ASCII), strings.get(3), "a last string without NUL");
    }
}
