package layerfd.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Capability sets from /proc/PID/status text, and this process's own. */
class CapabilitySetsTest {
    private static final String STATUS = """
            Name:\tjava
            Uid:\t0\t0\t0\t0
            Gid:\t0\t0\t0\t0
            CapInh:\t0000000000000000
            CapPrm:\t0000000000000004
            CapEff:\t0000000000000004
            CapBnd:\t0000000000000004
            CapAmb:\t0000000000000000
            NoNewPrivs:\t1
            Seccomp:\t0
            """;

    @Test
    void parsesEverySetNoNewPrivsAndTheEffectiveUid() {
        assertEquals(new CapabilitySets(0, 4, 4, 4, 0, true, 0), CapabilitySets.parse(STATUS));
    }

    @Test
    void highCapabilitiesAndNoNewPrivsZero() {
        String status = STATUS.replace("CapBnd:\t0000000000000004", "CapBnd:\t000001ffffffffff")
                .replace("NoNewPrivs:\t1", "NoNewPrivs:\t0").replace("Uid:\t0\t0", "Uid:\t0\t1001");
        CapabilitySets sets = CapabilitySets.parse(status);
        assertEquals(0x1ffffffffffL, sets.bounding());
        assertEquals(false, sets.noNewPrivs());
        assertEquals(1001, sets.effectiveUid());
    }

    @Test
    void aMissingLineIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CapabilitySets.parse(STATUS.replace("CapAmb:\t0000000000000000\n", "")));
        assertEquals("status text has no CapAmb: line", e.getMessage());
    }

    @Test
    void maskOfSetsOneBitPerCapability() {
        assertEquals(4, CapabilitySets.maskOf(CapabilityDrop.CAP_DAC_READ_SEARCH));
        assertEquals(6, CapabilitySets.maskOf(Capabilities.CAP_DAC_OVERRIDE, CapabilityDrop.CAP_DAC_READ_SEARCH));
        assertEquals(0, CapabilitySets.maskOf());
    }

    @Test
    void thisProcessAndTheKernelsLastCapability() throws IOException {
        CapabilitySets mine = CapabilitySets.current();
        assertEquals(Credentials.effectiveUid(), mine.effectiveUid());
        int last = CapabilityDrop.lastCapability();
        assertTrue(last >= 40, "Linux 5.9+ knows CAP_CHECKPOINT_RESTORE (40); cap_last_cap says " + last);
        assertEquals(0, mine.bounding() >>> (last + 1), "no bounding bit above cap_last_cap");
    }
}
