package layerfd.helper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LayerNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"etc/hello", "a", "home/user/secret", ".hidden", "a/..b", "a/b..", "names/caf\u00e9.txt"})
    void cleanRelativeNamesAreAccepted(String name) {
        assertNull(LayerNames.problem(name.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/etc/passwd|absolute name",
        "../x|\"..\" component",
        "etc/../../x|\"..\" component",
        "etc/..|\"..\" component",
        "./etc/hello|\".\" component",
        "etc//hello|empty component (\"//\" or trailing \"/\")",
        "etc/|empty component (\"//\" or trailing \"/\")",
    })
    void uncleanNamesAreRefusedWithTheReason(String name, String reason) {
        assertEquals(reason, LayerNames.problem(name.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\0b"})
    void emptyAndNulNamesAreRefused(String name) {
        assertEquals(name.isEmpty() ? "empty name" : "NUL byte in name",
                LayerNames.problem(name.getBytes(StandardCharsets.UTF_8)));
    }
}
