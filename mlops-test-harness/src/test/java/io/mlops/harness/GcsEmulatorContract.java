package io.mlops.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link GcsEmulator} must show through the Java storage client. */
abstract class GcsEmulatorContract {

    /** The started emulator under test. */
    abstract GcsEmulator emulator();

    static String uniqueBucket() {
        return "b-" + UUID.randomUUID().toString().substring(0, 13);
    }

    @Test
    void endpointIsOnLoopback() {
        assertTrue(emulator().endpoint().matches("http://127\\.0\\.0\\.1:\\d+"), emulator().endpoint());
        assertSame(emulator().storage(), emulator().storage(), "storage() is created once");
        assertEquals(GcsEmulator.PROJECT_ID, emulator().storage().getOptions().getProjectId());
    }

    @Test
    void uploadDownloadAndList() {
        Storage storage = emulator().storage();
        String bucketName = uniqueBucket();
        Bucket bucket = emulator().createBucket(bucketName);
        assertEquals(bucketName, bucket.getName());
        assertNotNull(storage.get(bucketName));

        byte[] data = "hello, fake gcs\n".getBytes(StandardCharsets.UTF_8);
        BlobInfo info = BlobInfo.newBuilder(bucketName, "dir/hello.txt").setContentType("text/plain").build();
        Blob created = storage.create(info, data);
        assertEquals(data.length, created.getSize());

        assertArrayEquals(data, storage.readAllBytes(BlobId.of(bucketName, "dir/hello.txt")));
        Blob fetched = storage.get(bucketName, "dir/hello.txt");
        assertEquals("text/plain", fetched.getContentType());
        assertEquals(created.getMd5(), fetched.getMd5());
        assertNull(storage.get(bucketName, "missing"));

        storage.create(BlobInfo.newBuilder(bucketName, "other.bin").build(), new byte[] {1, 2, 3});
        assertEquals(List.of("dir/hello.txt", "other.bin"), names(storage.list(bucketName).iterateAll()));
        assertEquals(List.of("dir/hello.txt"),
                names(storage.list(bucketName, Storage.BlobListOption.prefix("dir/")).iterateAll()));

        assertTrue(storage.delete(bucketName, "other.bin"));
        assertEquals(List.of("dir/hello.txt"), names(storage.list(bucketName).iterateAll()));
    }

    @Test
    void resumableUploadComesBackToTheSamePort() throws IOException {
        // Several 256 KiB chunks: every chunk goes to the Location the server returned.
        Storage storage = emulator().storage();
        String bucketName = uniqueBucket();
        emulator().createBucket(bucketName);
        byte[] data = new byte[600 * 1024 + 17];
        new Random(42).nextBytes(data);
        BlobInfo info = BlobInfo.newBuilder(bucketName, "big.bin").build();
        try (WriteChannel writer = storage.writer(info)) {
            writer.setChunkSize(256 * 1024);
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                writer.write(buffer);
            }
        }
        assertArrayEquals(data, storage.readAllBytes(BlobId.of(bucketName, "big.bin")));
    }

    private static List<String> names(Iterable<Blob> blobs) {
        return StreamSupport.stream(blobs.spliterator(), false).map(Blob::getName).sorted().collect(Collectors.toList());
    }
}
