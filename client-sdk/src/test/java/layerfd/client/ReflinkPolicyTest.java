package layerfd.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReflinkPolicyTest {
    @Test
    void parsesBootcNames() {
        assertEquals(ReflinkPolicy.ENABLED, ReflinkPolicy.parse("enabled"));
        assertEquals(ReflinkPolicy.ENABLED_WITH_COPY, ReflinkPolicy.parse("enabled-with-copy"));
        assertEquals(ReflinkPolicy.DISABLED, ReflinkPolicy.parse("disabled"));
    }

    @Test
    void unknownValueListsAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReflinkPolicy.parse("Enabled"));
        assertTrue(e.getMessage().contains("'Enabled'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(expected one of enabled-with-copy, enabled, disabled)"), e.getMessage());
    }

    @Test
    void printsConfigName() {
        assertEquals("enabled-with-copy", ReflinkPolicy.ENABLED_WITH_COPY.toString());
    }
}
