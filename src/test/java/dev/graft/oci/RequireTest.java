package dev.graft.oci;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequireTest {
  @Test
  void namesTheFirstNullValueAsObjectsRequireNonNullWould() {
    assertThatCode(() -> Require.nonNull("a, b, c", 1, "x", List.of())).doesNotThrowAnyException();
    assertThatThrownBy(() -> Require.nonNull("a, b, c", 1, null, null))
        .isExactlyInstanceOf(NullPointerException.class).hasMessage("b");
    assertThatThrownBy(() -> Require.nonNull("only", (Object) null))
        .isExactlyInstanceOf(NullPointerException.class).hasMessage("only");
  }

  @Test
  void refusesNamesThatDoNotMatchTheValues() {
    assertThatThrownBy(() -> Require.nonNull("a, b", 1, 2, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a, b' for 3 values");
    assertThatThrownBy(() -> Require.nonNull("a, b, c", 1, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRecordCheckedThroughItNamesItsComponent() {
    Optional<Duration> none = Optional.empty();
    assertThatThrownBy(() -> new Healthcheck(List.of("NONE"), none, null, none, Optional.empty()))
        .isExactlyInstanceOf(NullPointerException.class).hasMessage("timeout");
  }
}
