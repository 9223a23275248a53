package io.mlops.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The POM installed with the plugin, the one Maven builds a model of each time a project loads {@code mlops:*}:
 * it must stand alone. A parent there brings the build's BOM imports (Google's libraries-bom, the AWS and Azure
 * SDKs...) into every call, about 0.45 s of model building before any goal runs; dependencies there would be
 * resolved again although the shaded jar carries them.
 */
class PluginPomIT {

  @Test
  void installedPluginPomHasNoParentNoBomsAndNoDependencies() throws Exception {
    String version = System.getProperty("mlops.version");
    Path pom =
        Path.of(System.getProperty("mlops.localRepository"))
            .resolve("io/mlops/mlops-maven-plugin/" + version + "/mlops-maven-plugin-" + version + ".pom");
    assertTrue(Files.isRegularFile(pom), "the staged plugin POM " + pom);
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document doc = factory.newDocumentBuilder().parse(pom.toFile());
    Element project = doc.getDocumentElement();
    assertEquals("project", project.getLocalName());
    assertEquals("maven-plugin", child(project, "packaging").getTextContent());
    assertEquals("mlops-maven-plugin", child(project, "artifactId").getTextContent());
    assertEquals(version, child(project, "version").getTextContent());
    for (String absent : new String[] {"parent", "dependencyManagement", "dependencies", "build"}) {
      assertEquals(null, child(project, absent), absent + " in " + pom);
    }
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(e.getLocalName())) {
        return e;
      }
    }
    return null;
  }
}
