package io.kp1.mqtt.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time for TLS tests: a test CA, a server certificate for
 * {@code 127.0.0.1}/{@code localhost} signed by it, a client certificate signed by it, and a
 * "rogue" CA with a client certificate of its own that the brokers must refuse, and an expired
 * client certificate from the test CA, refused too. Nothing secret is
 * committed; each JVM makes its own, with EC P-256 keys (fast to generate).
 *
 * <pre>{@code
 * TlsMaterial tls = TlsMaterial.shared();
 * SSLContext trustsBroker = tls.clientContext(tls.caTrust(), tls.clientKeys());
 * Path pem = tls.writePem(dir);             // ca.pem, server.pem, server.key for Mosquitto
 * }</pre>
 *
 * <p>Key stores are PKCS#12 with the password {@link #STORE_PASSWORD}.
 */
public final class TlsMaterial {
    /** The password of every key store this class makes (test material, not a secret). */
    public static final String STORE_PASSWORD = "kp1-test";
    private static final char[] PASSWORD = STORE_PASSWORD.toCharArray();

    private static TlsMaterial shared;

    private final Issued ca;
    private final Issued server;
    private final Issued client;
    private final Issued rogueCa;
    private final Issued rogueClient;
    private final Issued expiredClient;

    private record Issued(KeyPair keys, X509Certificate cert) {
    }

    private TlsMaterial() throws GeneralSecurityException, OperatorCreationException {
        ca = selfSignedCa("CN=kp1 test CA");
        server = issue(ca, "CN=127.0.0.1", KeyPurposeId.id_kp_serverAuth, true);
        client = issue(ca, "CN=kp1-test-client", KeyPurposeId.id_kp_clientAuth, false);
        rogueCa = selfSignedCa("CN=kp1 rogue CA");
        rogueClient = issue(rogueCa, "CN=kp1-test-client", KeyPurposeId.id_kp_clientAuth, false);
        Instant now = Instant.now();
        expiredClient = issue(ca, "CN=kp1-test-client", KeyPurposeId.id_kp_clientAuth, false,
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
    }

    /** One set per JVM, made on first use. */
    public static synchronized TlsMaterial shared() {
        if (shared == null) {
            try {
                shared = new TlsMaterial();
            } catch (GeneralSecurityException | OperatorCreationException e) {
                throw new IllegalStateException("Could not make test certificates", e);
            }
        }
        return shared;
    }

    /** The test CA's certificate. */
    public X509Certificate caCertificate() {
        return ca.cert();
    }

    /** Trusts the test CA (which signed the brokers' certificate and the good client certificate). */
    public TrustManagerFactory caTrust() {
        return trust(ca.cert());
    }

    /** Trusts only the rogue CA: a client with this refuses the brokers' certificate. */
    public TrustManagerFactory rogueTrust() {
        return trust(rogueCa.cert());
    }

    /** The client certificate the brokers accept (signed by the test CA). */
    public KeyManagerFactory clientKeys() {
        return keys(client, ca);
    }

    /** A client certificate with the same subject, signed by the rogue CA: the brokers refuse it. */
    public KeyManagerFactory rogueClientKeys() {
        return keys(rogueClient, rogueCa);
    }

    /** A client certificate from the test CA whose validity ended yesterday: the brokers refuse it. */
    public KeyManagerFactory expiredClientKeys() {
        return keys(expiredClient, ca);
    }

    /** An {@code SSLContext} for a client; {@code keys} may be null (no client certificate). */
    public SSLContext clientContext(TrustManagerFactory trust, KeyManagerFactory keys) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code ca.pem}, {@code server.pem} and {@code server.key} (PKCS#8) into {@code dir}
     * for brokers configured with PEM files (Mosquitto).
     *
     * @return {@code dir}
     */
    public Path writePem(Path dir) {
        try {
            Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.cert().getEncoded()));
            Files.writeString(dir.resolve("server.pem"), pem("CERTIFICATE", server.cert().getEncoded()));
            Files.writeString(dir.resolve("server.key"), pem("PRIVATE KEY", server.keys().getPrivate().getEncoded()));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the server's key and chain as a PKCS#12 key store (HiveMQ CE). */
    public Path writeServerKeyStore(Path file) {
        return write(keyStore(server, ca), file);
    }

    /** Writes a PKCS#12 trust store holding the test CA (HiveMQ CE, to check client certificates). */
    public Path writeCaTrustStore(Path file) {
        return write(trustStore(ca.cert()), file);
    }

    private static Path write(KeyStore store, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TrustManagerFactory trust(X509Certificate cert) {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(trustStore(cert));
            return f;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyManagerFactory keys(Issued leaf, Issued issuer) {
        try {
            KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            f.init(keyStore(leaf, issuer), PASSWORD);
            return f;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore trustStore(X509Certificate cert) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", cert);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore keyStore(Issued leaf, Issued issuer) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            PrivateKey key = leaf.keys().getPrivate();
            store.setKeyEntry("key", key, PASSWORD, new Certificate[] {leaf.cert(), issuer.cert()});
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Issued selfSignedCa(String subject) throws GeneralSecurityException, OperatorCreationException {
        KeyPair keys = newKeyPair();
        X500Name name = new X500Name(subject);
        X509v3CertificateBuilder b = builder(name, name, keys);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(keys, sign(b, keys.getPrivate()));
    }

    private static Issued issue(Issued issuer, String subject, KeyPurposeId purpose, boolean loopbackNames)
            throws GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        return issue(issuer, subject, purpose, loopbackNames, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)));
    }

    private static Issued issue(Issued issuer, String subject, KeyPurposeId purpose, boolean loopbackNames,
            Instant notBefore, Instant notAfter) throws GeneralSecurityException, OperatorCreationException {
        KeyPair keys = newKeyPair();
        X509v3CertificateBuilder b = builder(new X500Name(issuer.cert().getSubjectX500Principal().getName()),
                new X500Name(subject), keys, notBefore, notAfter);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer.cert()));
            if (loopbackNames) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()),
                        new GeneralName(GeneralName.dNSName, "localhost")}));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(keys, sign(b, issuer.keys().getPrivate()));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return builder(issuer, subject, keys, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Instant notBefore,
            Instant notAfter) {
        BigInteger serial = new BigInteger(HexFormat.of().formatHex(randomBytes(8)), 16).add(BigInteger.ONE);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
