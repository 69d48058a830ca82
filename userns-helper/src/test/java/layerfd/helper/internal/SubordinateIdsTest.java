package layerfd.helper.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SubordinateIdsTest {
    private static final String FILE = "alice:100000:65536\n# comment\n1002:200000:65536\nbob:300000:0\nbroken\n";

    @Test
    void userListedByName() {
        assertTrue(SubordinateIds.hasRange(FILE, "alice", 1001));
    }

    @Test
    void userListedByUid() {
        assertTrue(SubordinateIds.hasRange(FILE, "carol", 1002));
    }

    @Test
    void emptyRangeCountsAsNone() {
        assertFalse(SubordinateIds.hasRange(FILE, "bob", 1003));
    }

    @Test
    void unlistedUserHasNone() {
        assertFalse(SubordinateIds.hasRange(FILE, "dave", 1004));
        assertFalse(SubordinateIds.hasRange("", "dave", 1004));
    }

    @Test
    void missingFileMeansNoRange() throws Exception {
        assertFalse(SubordinateIds.hasRange(Path.of("/nonexistent/subuid"), "alice", 1001));
    }

    @Test
    void theFixtureUserHasRangesOnThisMachine() throws Exception {
        // The test setup (scripts/fixtures) creates layerfd-test with 100000:65536 in both files.
        assertTrue(SubordinateIds.hasRange(SubordinateIds.SUBUID, "layerfd-test", 1001));
        assertTrue(SubordinateIds.hasRange(SubordinateIds.SUBGID, "layerfd-test", 1001));
    }
}
