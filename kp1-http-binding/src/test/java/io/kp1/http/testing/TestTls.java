package io.kp1.http.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS material made at test time with BouncyCastle (nothing committed): a CA, a server certificate
 * for {@code 127.0.0.1}, a client certificate from that CA ({@code CN=device-1}), and a client
 * certificate from another, unknown CA ({@code CN=intruder}), and an expired one from the CA. EC P-256 keys, quick to make.
 *
 * <pre>{@code
 * TestTls tls = TestTls.shared();
 * SSLContext server = tls.serverContext();                      // accepts any client certificate:
 *                                                               // the authenticator decides (K13)
 * SSLContext client = tls.clientContext(tls.deviceKeyStore());  // trusts the CA, presents device-1
 * }</pre>
 */
public final class TestTls {
    private static final char[] PASSWORD = "kp1-test".toCharArray();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static TestTls shared;

    private final Issued ca;
    private final Issued server;
    private final Issued device;
    private final Issued intruder;
    private final Issued expiredDevice;

    private record Issued(KeyPair keys, X509Certificate cert, X509Certificate issuer) {
    }

    private TestTls() throws Exception {
        ca = issue(null, "CN=kp1 http test CA", null, true);
        server = issue(ca, "CN=127.0.0.1", KeyPurposeId.id_kp_serverAuth, false);
        device = issue(ca, "CN=device-1", KeyPurposeId.id_kp_clientAuth, false);
        Issued otherCa = issue(null, "CN=unknown CA", null, true);
        intruder = issue(otherCa, "CN=intruder", KeyPurposeId.id_kp_clientAuth, false);
        Instant now = Instant.now();
        expiredDevice = issue(ca, "CN=device-1", KeyPurposeId.id_kp_clientAuth, false,
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
    }

    /** The material of this JVM, made on first use. */
    public static synchronized TestTls shared() {
        if (shared == null) {
            try {
                shared = new TestTls();
            } catch (Exception e) {
                throw new IllegalStateException("Could not make test certificates", e);
            }
        }
        return shared;
    }

    /** The CA certificate that issued the server's and device-1's certificates. */
    public X509Certificate caCertificate() {
        return ca.cert();
    }

    /** device-1's certificate (issued by the CA). */
    public X509Certificate deviceCertificate() {
        return device.cert();
    }

    /** A key store with device-1's key and chain. */
    public KeyStore deviceKeyStore() {
        return keyStore(device);
    }

    /** A key store with the intruder's key and chain (another CA). */
    public KeyStore intruderKeyStore() {
        return keyStore(intruder);
    }

    /** A key store with a device-1 key and chain from the CA whose validity ended yesterday. */
    public KeyStore expiredDeviceKeyStore() {
        return keyStore(expiredDevice);
    }

    /** A key store with the server's key and chain. */
    public KeyStore serverKeyStore() {
        return keyStore(server);
    }

    /** The server password of every key store here. */
    public static char[] password() {
        return PASSWORD.clone();
    }

    /**
     * The server's context: its certificate, and a trust manager that lets every client
     * certificate through, so that the authenticator under test decides (K13), not the handshake.
     */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(serverKeyStore(), PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {acceptAnyClient()}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context that trusts the CA and presents the key store's certificate, or none when null. */
    public SSLContext clientContext(KeyStore clientKeys) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca.cert());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (clientKeys != null) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(clientKeys, PASSWORD);
                ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            } else {
                ctx.init(null, tmf.getTrustManagers(), null);
            }
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code cert} was issued by the test CA: verifies its signature. */
    public boolean issuedByCa(X509Certificate cert) {
        try {
            cert.verify(ca.cert().getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509TrustManager acceptAnyClient() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException("server side only");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    private static KeyStore keyStore(Issued issued) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", issued.keys().getPrivate(), PASSWORD,
                    new Certificate[] {issued.cert(), issued.issuer()});
            return ks;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Issued issue(Issued issuer, String subject, KeyPurposeId purpose, boolean isCa) throws Exception {
        Instant now = Instant.now();
        return issue(issuer, subject, purpose, isCa, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)));
    }

    private static Issued issue(Issued issuer, String subject, KeyPurposeId purpose, boolean isCa, Instant notBefore,
            Instant notAfter) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = gen.generateKeyPair();
        X500Name subjectName = new X500Name(subject);
        X500Name issuerName = issuer == null ? subjectName : X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subjectName,
                keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (purpose != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        }
        if (purpose == KeyPurposeId.id_kp_serverAuth) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        KeyPair signer = issuer == null ? keys : issuer.keys();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        return new Issued(keys, cert, issuer == null ? cert : issuer.cert());
    }
}
