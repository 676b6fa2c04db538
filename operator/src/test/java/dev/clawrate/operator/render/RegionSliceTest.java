package dev.clawrate.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.operator.tenancy.Claims;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each region's part of a render, and where an old entry may still be served. Pure. */
class RegionSliceTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final ResourceKey ACME = ResourceKey.tenant("ns", "acme");

  private static ModelInput model() {
    return new ModelInput(
        "ns", "scorer", DIGEST, "rate", ModelLimits.DEFAULTS, "2025-01-01T00:00:00Z", null);
  }

  private static TenantInput tenant(String model, List<String> regions) {
    return new TenantInput(
        "ns",
        "acme",
        "acme",
        model,
        600.0,
        null,
        List.of(),
        null,
        null,
        regions,
        "2025-01-02T00:00:00Z",
        null);
  }

  private static RenderedSnapshot render(TenantInput tenant, SnapshotDocument previous) {
    return SnapshotRenderer.render(
        "stable",
        List.of(model()),
        List.of(tenant),
        previous,
        new Claims(Map.of("acme", "ns"), Map.of("scorer", "ns")));
  }

  @Test
  void aTenantGoesOnlyToTheRegionsItNames() {
    RenderedSnapshot rendered = render(tenant("scorer", List.of("eu-west")), null);
    RegionSlice eu = RegionSlice.of(rendered, "eu-west", null);
    RegionSlice us = RegionSlice.of(rendered, "us-east", null);
    assertTrue(eu.snapshot().document().tenants().containsKey("acme"));
    assertFalse(us.snapshot().document().tenants().containsKey("acme"));
    assertEquals(Set.of(ACME), us.elsewhere());
    assertTrue(us.snapshot().document().models().containsKey("scorer"), "models go everywhere");
  }

  @Test
  void aBrokenSpecKeepsItsOldEntryOnlyWhereItWasServed() {
    SnapshotDocument before = render(tenant("scorer", List.of("eu-west")), null).document();
    SnapshotDocument inEu =
        RegionSlice.of(render(tenant("scorer", List.of("eu-west")), null), "eu-west", null)
            .snapshot()
            .document();
    SnapshotDocument inUs =
        RegionSlice.of(render(tenant("scorer", List.of("eu-west")), null), "us-east", null)
            .snapshot()
            .document();
    // The new spec names a model that does not exist, and regions it cannot be trusted with.
    RenderedSnapshot broken = render(tenant("no-such-model", null), before);
    assertTrue(broken.excluded().get(ACME).carriedOver());

    RegionSlice eu = RegionSlice.of(broken, "eu-west", inEu);
    assertTrue(eu.snapshot().document().tenants().containsKey("acme"), "kept where it was");
    assertTrue(eu.snapshot().excluded().get(ACME).carriedOver());

    RegionSlice us = RegionSlice.of(broken, "us-east", inUs);
    assertFalse(us.snapshot().document().tenants().containsKey("acme"), "never where it was not");
    assertFalse(us.snapshot().excluded().get(ACME).carriedOver());
    assertEquals(
        "RatingModel ns/no-such-model does not exist",
        us.snapshot().excluded().get(ACME).message());

    RegionSlice unknown = RegionSlice.of(broken, "eu-west", null);
    assertFalse(
        unknown.snapshot().document().tenants().containsKey("acme"),
        "a region whose snapshot is not known keeps nothing old");
  }
}
