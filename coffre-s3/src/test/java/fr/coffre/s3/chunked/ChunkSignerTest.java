package fr.coffre.s3.chunked;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkSignerTest {
  private static final byte[] DATA = ChunkedBodies.repeat('a', 66560);

  @Test
  void chunkSignature_awsDocumentationExample_givesThePublishedChain() {
    // "Signature Calculations for the Authorization Header: Transferring Payload in Multiple
    // Chunks": 64 KiB of 'a', then 1 KiB, then the final chunk.
    ChunkSigner signer =
        ChunkedBodies.docsSigner(
            "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
    assertThat(ChunkedBodies.signatures(DATA, new int[] {65536, 1024}, signer))
        .containsExactly(
            "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
            "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
            "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
  }

  @Test
  void chunkStringToSign_firstChunk_hasTheDocumentedLayout() {
    ChunkSigner signer =
        ChunkedBodies.docsSigner(
            "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
    assertThat(signer.chunkStringToSign(signer.seedSignature(), ChunkedBodies.sha256(new byte[0])))
        .isEqualTo(
            String.join(
                "\n",
                "AWS4-HMAC-SHA256-PAYLOAD",
                "20130524T000000Z",
                "20130524/us-east-1/s3/aws4_request",
                "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  }

  @Test
  void trailerSignature_awsDocumentationTrailerExample_givesThePublishedSignatures() {
    // "Signature calculations for trailing headers (chunked uploads)": same data, CRC32C trailer.
    ChunkSigner signer =
        ChunkedBodies.docsSigner(
            "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e");
    List<String> chunks = ChunkedBodies.signatures(DATA, new int[] {65536, 1024}, signer);
    assertThat(chunks)
        .containsExactly(
            "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
            "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
            "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992");
    byte[] canonical = "x-amz-checksum-crc32c:sOO8/Q==\n".getBytes();
    assertThat(signer.trailerSignature(chunks.get(2), ChunkedBodies.sha256(canonical)))
        .isEqualTo("d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435");
  }

  @Test
  void toString_always_hidesTheSigningKey() {
    ChunkSigner signer = ChunkedBodies.docsSigner("seed");
    assertThat(signer.toString())
        .doesNotContain("seed")
        .contains("20130524/us-east-1/s3/aws4_request");
  }
}
