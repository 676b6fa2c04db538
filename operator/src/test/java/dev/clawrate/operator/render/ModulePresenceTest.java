package dev.clawrate.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.snapshot.TenantEntry;
import dev.clawrate.operator.tenancy.Claims;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A region lacking a module never gets a snapshot naming it, fallbacks included. Pure. */
class ModulePresenceTest {

  private static final String PRIMARY = "sha256:" + "a".repeat(64);
  private static final String CHAMPION = "sha256:" + "b".repeat(64);

  private static ModelInput model(String name, String digest) {
    return new ModelInput(
        "ns", name, digest, "rate", ModelLimits.DEFAULTS, "2025-01-01T00:00:00Z", null);
  }

  private static TenantInput tenant(String name, String fallbackModel, String decision) {
    return new TenantInput(
        "ns",
        name,
        name,
        "primary",
        600.0,
        null,
        List.of(),
        fallbackModel,
        decision,
        null,
        "2025-01-02T00:00:00Z",
        null);
  }

  @Test
  void aMissingFallbackModulePublishesTheTenantWithWhatRemainsOfItsFallback() {
    RenderedSnapshot rendered =
        SnapshotRenderer.render(
            "stable",
            List.of(model("primary", PRIMARY), model("champion", CHAMPION)),
            List.of(tenant("acme", "champion", "refer"), tenant("globex", "champion", null)),
            null,
            Claims.NONE);
    RenderedSnapshot restricted = ModulePresence.restrict(rendered, Set.of(CHAMPION), null);

    assertFalse(restricted.document().models().containsKey("champion"));
    TenantEntry acme = restricted.document().tenants().get("acme");
    assertNull(acme.fallback().model());
    assertEquals("refer", acme.fallback().decision());
    assertNull(restricted.document().tenants().get("globex").fallback());
  }
}
