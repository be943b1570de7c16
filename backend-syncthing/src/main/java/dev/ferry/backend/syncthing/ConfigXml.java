package dev.ferry.backend.syncthing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A managed node's {@code config.xml}, edited before Syncthing reads it: the GUI address, API key
 * and TLS, and the options that keep a node off the internet (relays, announcements, NAT, usage
 * and crash reports, upgrades). Written atomically, owner-only.
 */
final class ConfigXml {

    private final Path file;
    private final Document doc;

    private ConfigXml(Path file, Document doc) {
        this.file = file;
        this.doc = doc;
    }

    static ConfigXml read(Path file) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder b = f.newDocumentBuilder();
            return new ConfigXml(file, b.parse(file.toFile()));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read Syncthing's config " + file + ": " + e.getMessage(), e);
        }
    }

    String apiKey() {
        return text(child(gui(), "apikey"));
    }

    /** The GUI address, API key and TLS. */
    void gui(String address, String apiKey, boolean tls) {
        Element gui = gui();
        gui.setAttribute("enabled", "true");
        gui.setAttribute("tls", Boolean.toString(tls));
        child(gui, "address").setTextContent(address);
        child(gui, "apikey").setTextContent(apiKey);
    }

    /** Listen addresses and the internet-facing features, all set to what the caller chose. */
    void options(List<String> listen, boolean internetFeatures, int reconnectIntervalS) {
        Element options = (Element) doc.getDocumentElement().getElementsByTagName("options").item(0);
        NodeList old = options.getElementsByTagName("listenAddress");
        while (old.getLength() > 0) {
            options.removeChild(old.item(0));
        }
        for (String a : listen) {
            Element e = doc.createElement("listenAddress");
            e.setTextContent(a);
            options.insertBefore(e, options.getFirstChild());
        }
        String on = Boolean.toString(internetFeatures);
        child(options, "globalAnnounceEnabled").setTextContent(on);
        child(options, "localAnnounceEnabled").setTextContent(on);
        child(options, "relaysEnabled").setTextContent(on);
        child(options, "natEnabled").setTextContent(on);
        child(options, "reconnectionIntervalS").setTextContent(Integer.toString(reconnectIntervalS));
        // Never report usage, crashes, or upgrade by itself: a platform decides those.
        child(options, "urAccepted").setTextContent("-1");
        child(options, "autoUpgradeIntervalH").setTextContent("0");
        child(options, "crashReportingEnabled").setTextContent("false");
        child(options, "startBrowser").setTextContent("false");
    }

    /** Names the node itself (its own device entry). */
    void ownName(String deviceId, String name) {
        for (Element d : devices()) {
            if (d.getAttribute("id").equals(deviceId)) {
                d.setAttribute("name", name);
            }
        }
    }

    /** Removes the device entry of an ID the node no longer has (after a new key). */
    void removeDevice(String deviceId) {
        for (Element d : devices()) {
            if (d.getAttribute("id").equals(deviceId)) {
                d.getParentNode().removeChild(d);
            }
        }
    }

    void write() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".ferry-tmp");
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.transform(new DOMSource(doc), new StreamResult(tmp.toFile()));
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (TransformerException e) {
            throw new IOException("cannot write Syncthing's config " + file, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private List<Element> devices() {
        NodeList all = doc.getDocumentElement().getChildNodes();
        java.util.ArrayList<Element> out = new java.util.ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            if (all.item(i) instanceof Element e && e.getTagName().equals("device")) {
                out.add(e);
            }
        }
        return out;
    }

    private Element gui() {
        return (Element) doc.getDocumentElement().getElementsByTagName("gui").item(0);
    }

    private Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        Element e = doc.createElement(name);
        parent.appendChild(e);
        return e;
    }

    private static String text(Element e) {
        return e.getTextContent().trim();
    }
}
