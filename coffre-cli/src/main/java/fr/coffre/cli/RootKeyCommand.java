package fr.coffre.cli;

import fr.coffre.crypto.EscrowShare;
import fr.coffre.server.ConfigFile;
import fr.coffre.server.CustodyException;
import fr.coffre.server.RootKeyEscrow;
import fr.coffre.server.RootKeyRecovery;
import fr.coffre.server.RootKeyRotation;
import fr.coffre.server.ServerConfig;
import fr.coffre.server.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffre root-key escrow|recover}: key custody of a data directory, offline (see
 * docs/key-custody.md).
 */
@Command(
    name = "root-key",
    mixinStandardHelpOptions = true,
    description = "Root key custody, offline: Shamir escrow to custodians, and recovery.",
    subcommands = {
      RootKeyCommand.Escrow.class,
      RootKeyCommand.Recover.class,
      RootKeyCommand.Rotate.class
    })
final class RootKeyCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "escrow",
      mixinStandardHelpOptions = true,
      description = {
        "Splits a recovery copy of the data directory's root key into Shamir shares, one per"
            + " custodian; any THRESHOLD of them rebuild it (`coffre root-key recover`), fewer reveal"
            + " nothing. The server may be running. Refused for an HSM key (not extractable: use the"
            + " HSM's own backup).",
        "Exit 0 when the shares were written, 1 when refused."
      })
  static final class Escrow implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data directory.")
    Path data;

    @Option(
        names = "--shares",
        paramLabel = "N",
        description = "How many shares (default: one per --custodian, else 5).")
    Integer shares;

    @Option(
        names = "--threshold",
        required = true,
        paramLabel = "K",
        description = "How many shares rebuild the key (at least 2).")
    int threshold;

    @Option(
        names = "--custodian",
        paramLabel = "NAME",
        description =
            "A custodian's name (letters, digits, . _ -), once per share; default custodian-1..N.")
    List<String> custodians = new ArrayList<>();

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description =
            "Writes NAME.share per custodian there (mode 0600, never overwritten); without it the"
                + " shares are printed, to hand over one by one.")
    Path out;

    @Option(
        names = "--passphrase-file",
        paramLabel = "FILE",
        description = "The passphrase of a passphrase-sealed root key (needed to open it).")
    Path passphraseFile;

    @Override
    public Integer call() {
      return custody(
          "escrow",
          passphraseFile,
          passphrase -> {
            int count = shares != null ? shares : custodians.isEmpty() ? 5 : custodians.size();
            RootKeyEscrow escrow =
                RootKeyEscrow.split(data, count, threshold, custodians, passphrase);
            if (out == null) {
              for (EscrowShare share : escrow.shares()) {
                System.out.println(RootKeyEscrow.shareFileText(share, data));
              }
            } else {
              for (Path file : escrow.writeTo(out, data)) {
                System.out.println(file);
              }
            }
            System.err.println(
                "escrowed root key "
                    + escrow.keyId()
                    + " as set "
                    + escrow.setId()
                    + ": "
                    + escrow.shares().size()
                    + " shares, any "
                    + escrow.threshold()
                    + " rebuild it. Give each custodian their own share only.");
            return 0;
          });
    }
  }

  @Command(
      name = "recover",
      mixinStandardHelpOptions = true,
      description = {
        "Rebuilds the data directory's root key from THRESHOLD shares of one escrow, checks it"
            + " against the directory's root key pin, and installs it: the development key file, or"
            + " the sealed key under the new passphrase of --passphrase-file. Never replaces a key"
            + " file that is there. The server must be stopped.",
        "Exit 0 when the key is in place, 1 when refused."
      })
  static final class Recover implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data directory.")
    Path data;

    @Option(
        names = "--share",
        required = true,
        paramLabel = "FILE",
        description = "A share file (as escrow wrote it, or typed back); once per share.")
    List<Path> shareFiles = new ArrayList<>();

    @Option(
        names = "--passphrase-file",
        paramLabel = "FILE",
        description =
            "Passphrase-sealed mode: the new passphrase to seal the recovered key under (at least"
                + " 12 characters).")
    Path passphraseFile;

    @Override
    public Integer call() {
      return custody(
          "recovery",
          passphraseFile,
          passphrase -> {
            Map<String, String> shares = new LinkedHashMap<>();
            for (Path file : shareFiles) {
              shares.put(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
            RootKeyRecovery done = RootKeyRecovery.recover(data, shares, passphrase);
            System.out.println(
                (done.installed()
                        ? "recovered root key " + done.keyId() + " into " + done.keyFile()
                        : "root key "
                            + done.keyId()
                            + " is already in place ("
                            + done.keyFile()
                            + ")")
                    + " from "
                    + done.sharesUsed()
                    + " shares; the server can start.");
            return 0;
          });
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = {
        "Offline (stop the server): replaces the root key with a new one in the same mode (a new"
            + " key file, a new sealed key under the same passphrase, or a new key in the HSM under"
            + " --new-label), keeps the old one (DATA/keys/retired/, or in the HSM) and re-wraps everything it wrapped: SSE-S3 data keys, multipart"
            + " uploads, KMS key material, access-key and operator secrets, the root credentials and"
            + " the signing key. Resumable: a run that finds an unfinished rotation continues it."
            + " When nothing refers to the old key any more it is dropped from the pin; then escrow"
            + " the new key and destroy the old file (docs/key-custody.md). With PostgreSQL"
            + " metadata give --metadata or --config as to `coffre server`; refused in a cluster.",
        "Exit 0 when the pass finished, 2 when it stopped at --max-batches (run again), 1 when"
            + " refused."
      })
  static final class Rotate implements Callable<Integer> {
    @Option(
        names = "--data",
        paramLabel = "DIR",
        description = "Data directory (else env COFFRE_DATA, or `data` in --config).")
    String data;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description =
            "The server's configuration file (env COFFRE_CONFIG): its data directory, PostgreSQL"
                + " metadata (metadata.url, metadata.password-file) and PKCS#11 token"
                + " (root-key.pkcs11), read as `coffre server` reads them.")
    Path config;

    @Option(
        names = "--metadata",
        paramLabel = "URL",
        description =
            "The server's PostgreSQL metadata, postgresql://USER@HOST:PORT/DB (env"
                + " COFFRE_METADATA_URL); the password from COFFRE_METADATA_PASSWORD(_FILE) or the"
                + " configuration, never on the command line. Without it: the SQLite file of the"
                + " data directory.")
    String metadata;

    @Option(
        names = "--new-label",
        paramLabel = "LABEL",
        description =
            "HSM mode: the label of the new key made in the token (default: the old label and"
                + " -YYYYMMDDhhmmss). Set the server's COFFRE_PKCS11_KEY_LABEL to it afterwards.")
    String newLabel;

    @Option(
        names = "--passphrase-file",
        paramLabel = "FILE",
        description =
            "Passphrase-sealed mode: the root key's passphrase (the new key is sealed under it).")
    Path passphraseFile;

    @Option(
        names = "--batch-size",
        paramLabel = "N",
        defaultValue = "500",
        description = "Rows re-wrapped per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
        names = "--max-batches",
        paramLabel = "N",
        defaultValue = "0",
        description =
            "Stop after N batches, to spread the pass over several maintenance windows; the next"
                + " run resumes it (default: no limit).")
    int maxBatches;

    @Override
    public Integer call() {
      if (batchSize < 1 || maxBatches < 0) {
        System.err.println("coffre: --batch-size must be at least 1 and --max-batches at least 0");
        return 1;
      }
      Path file = BackupCommand.configFile(config);
      String envData = System.getenv("COFFRE_DATA");
      if (data == null && file == null && (envData == null || envData.isEmpty())) {
        System.err.println(
            "coffre: give the data directory: --data DIR (or COFFRE_DATA, or --config FILE)");
        return 1;
      }
      RootKeyRotation.Target target;
      try {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("data", data);
        flags.put("metadata", metadata);
        ConfigFile loaded = file == null ? ConfigFile.EMPTY : ConfigFile.load(file);
        ServerConfig resolved =
            new Settings(flags, System.getenv(), loaded, file == null ? null : file.toString())
                .resolve();
        target =
            new RootKeyRotation.Target(
                resolved.dataDir(), resolved.metadata(), resolved.hsm(), newLabel);
      } catch (IllegalArgumentException e) {
        System.err.println("coffre: rotation refused: " + e.getMessage());
        return 1;
      }
      return custody(
          "rotation",
          passphraseFile,
          passphrase -> {
            RootKeyRotation done =
                RootKeyRotation.rotate(
                    target,
                    passphrase,
                    batchSize,
                    maxBatches,
                    java.time.Clock.systemUTC(),
                    line -> System.err.println("coffre: " + line));
            String hsmNote =
                done.keyId().startsWith("pkcs11:")
                    ? " Set the server's COFFRE_PKCS11_KEY_LABEL (or root-key.pkcs11.key-label) to "
                        + done.keyId().substring("pkcs11:".length())
                        + " before it starts again."
                    : "";
            if (done.finished()) {
              System.out.println(
                  "root key is now "
                      + done.keyId()
                      + "; nothing refers to "
                      + String.join(", ", done.retired())
                      + " any more (re-wrapped: "
                      + done.rewrapped()
                      + ")."
                      + hsmNote
                      + (done.keyId().startsWith("pkcs11:")
                          ? " The old key is still in the HSM: destroy it with the HSM's tools"
                              + " once no backup made before the rotation is needed"
                              + " (docs/key-custody.md)."
                          : " Escrow the new key (`coffre root-key escrow`), then destroy "
                              + target.data().resolve("keys/retired")
                              + " once no backup made before the rotation is needed."));
              return 0;
            }
            System.out.println(
                "root key is now "
                    + done.keyId()
                    + "; the re-wrap pass stopped after --max-batches with rows still under "
                    + String.join(", ", done.retired())
                    + ". Run `coffre root-key rotate` again to continue; the server may start"
                    + " meanwhile."
                    + hsmNote);
            return 2;
          });
    }
  }

  /** What a key custody command does, given the passphrase of its --passphrase-file (or null). */
  interface CustodyAction {
    int run(char @Nullable [] passphrase) throws IOException;
  }

  /**
   * Runs a key custody command: the passphrase read from its file and wiped afterwards, whatever
   * happens; a refusal ({@code "coffre: WHAT refused: ..."}), an I/O failure or anything else told
   * in one line, exit 1, never a stack trace.
   */
  static int custody(String what, @Nullable Path passphraseFile, CustodyAction action) {
    char[] passphrase = null;
    try {
      passphrase = passphraseFile == null ? null : readPassphrase(passphraseFile);
      return action.run(passphrase);
    } catch (CustodyException e) {
      System.err.println("coffre: " + what + " refused: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      System.err.println("coffre: " + describe(e));
      return 1;
    } catch (RuntimeException e) {
      System.err.println("coffre: unexpected failure: " + e);
      return 1;
    } finally {
      if (passphrase != null) {
        Arrays.fill(passphrase, '\0');
      }
    }
  }

  /** An I/O failure in words: the file and what went wrong, no stack trace. */
  static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return e.getMessage() + ": no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return e.getMessage() + ": permission denied";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** The passphrase file's text without surrounding white space, as the server reads it. */
  static char[] readPassphrase(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
  }
}
