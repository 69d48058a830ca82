package layerfd.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    private static String status(String uids, String capEff) {
        return "Name:\tjava\nUid:\t" + uids + "\nGid:\t1001\t1001\t1001\t1001\nCapInh:\t0000000000000000\n"
                + "CapPrm:\t" + capEff + "\nCapEff:\t" + capEff + "\n";
    }

    @Test
    void rootWithoutCapabilitiesBypasses() {
        assertTrue(Capabilities.canBypassFilePermissions(status("0\t0\t0\t0", "0000000000000000")));
    }

    @Test
    void plainUserCannotBypass() {
        assertFalse(Capabilities.canBypassFilePermissions(status("1001\t1001\t1001\t1001", "0000000000000000")));
    }

    @Test
    void userWithOnlyCapDacOverrideBypasses() {
        assertTrue(Capabilities.canBypassFilePermissions(status("1001\t1001\t1001\t1001", "0000000000000002")));
    }

    @Test
    void userWithOtherCapabilitiesButNotDacOverrideCannotBypass() {
        // CAP_CHOWN (bit 0) and CAP_DAC_READ_SEARCH (bit 2) do not let a process open a mode 0000 file for reading
        // in layerfd's sense: only CAP_DAC_OVERRIDE is the rule cstor-rs uses.
        assertFalse(Capabilities.canBypassFilePermissions(status("1001\t1001\t1001\t1001", "0000000000000005")));
    }

    @Test
    void effectiveUidIsTheSecondNumberNotTheRealOne() {
        assertFalse(Capabilities.canBypassFilePermissions(status("0\t1001\t1001\t1001", "0000000000000000")));
        assertEquals(1001, Capabilities.effectiveUid(status("0\t1001\t1001\t1001", "0")));
    }

    @Test
    void fullMaskHasEveryBit() {
        assertTrue(Capabilities.hasEffective(status("1001\t1001\t1001\t1001", "000001ffffffffff"), 40));
        assertFalse(Capabilities.hasEffective(status("1001\t1001\t1001\t1001", "000001ffffffffff"), 41));
    }

    @Test
    void statusWithoutCapEffIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Capabilities.hasEffective("Uid:\t0\t0\t0\t0\n", Capabilities.CAP_DAC_OVERRIDE));
    }

    @Test
    void thisTestProcessAgreesWithItsUid() {
        // Tests run as root (CI): the live check must say so.
        if (Credentials.effectiveUid() == 0) {
            assertTrue(Capabilities.canBypassFilePermissions());
        }
    }
}
