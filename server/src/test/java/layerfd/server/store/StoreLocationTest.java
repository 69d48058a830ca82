package layerfd.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreLocationTest {
    @Test
    void onlyOverlayAndVfsAreAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StoreLocation(
                Path.of("/g"), Path.of("/r"), "btrfs", Optional.empty(), List.of(), false, List.of()));
        assertEquals("unsupported storage driver 'btrfs': layerfd reads overlay and vfs", e.getMessage());
    }

    @Test
    void listsAreCopiedSoTheValueStaysImmutable() {
        List<Path> stores = new ArrayList<>(List.of(Path.of("/ais")));
        StoreLocation location = new StoreLocation(Path.of("/g"), Path.of("/r"), StoreLocation.VFS,
                Optional.empty(), stores, true, List.of());
        stores.add(Path.of("/other"));
        assertEquals(List.of(Path.of("/ais")), location.additionalImageStores());
        assertThrows(UnsupportedOperationException.class, () -> location.additionalImageStores().add(Path.of("/x")));
        assertTrue(location.rootless());
    }
}
