package layerfd.client.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The summary line is in the contract's words (api-contract §6). */
class ImportStatisticsTest {
    @Test
    void summaryReadsLikeTheContractExample() {
        assertEquals("42 new + 100 already present objects; 1.5 MB reflinked, 0 B copied, 800 B inlined",
                new ImportStatistics(42, 100, 1_500_000, 0, 800, 7).summary());
    }

    @Test
    void sizesUseDecimalUnitsWithOneDecimal() {
        assertEquals("999 B", ImportStatistics.size(999));
        assertEquals("1.0 kB", ImportStatistics.size(1000));
        assertEquals("16.8 MB", ImportStatistics.size(16_777_216));
        assertEquals("2.5 GB", ImportStatistics.size(2_500_000_000L));
        assertEquals("1200.0 TB", ImportStatistics.size(1_200_000_000_000_000L));
    }
}
