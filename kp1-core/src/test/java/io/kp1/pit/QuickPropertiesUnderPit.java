package io.kp1.pit;

import java.util.Optional;

import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyAttributes;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Caps the tries of every jqwik property, and switches shrinking off, when the system property
 * {@value #TRIES_PROPERTY} is set; inert otherwise.
 *
 * <p>Why: PIT runs the covering tests once per mutant, so a property with {@code tries = 2000}
 * runs thousands of times. Explicit {@code @Property(tries = N)} wins over
 * {@code jqwik.tries.default}, hence a hook rather than a configuration parameter. Shrinking only
 * makes a failure readable; under PIT the first failure already kills the mutant.
 * A property tagged {@value #GENERATOR_COVERAGE} also checks that its generator reached every case
 * ({@code Statistics.coverage}); fewer tries would fail that check at random, so it keeps its tries.
 * Registered globally through {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook};
 * the {@code pit} profile sets the property in PIT's {@code jvmArgs}:
 *
 * <pre>{@code
 * mvn -B -Ppit -pl kp1-core verify -Dpit.jqwik.tries=50
 * }</pre>
 */
public final class QuickPropertiesUnderPit implements AroundPropertyHook {
    /** System property holding the tries cap, e.g. {@code -Dkp1.pit.jqwik.tries=50}. */
    public static final String TRIES_PROPERTY = "kp1.pit.jqwik.tries";
    /** jqwik tag of a property whose coverage check needs all its tries. */
    public static final String GENERATOR_COVERAGE = "generator-coverage";

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        Integer cap = Integer.getInteger(TRIES_PROPERTY);
        boolean keepTries = context.findRepeatableAnnotations(Tag.class).stream()
                .anyMatch(tag -> GENERATOR_COVERAGE.equals(tag.value()));
        if (cap != null && cap > 0 && !keepTries) {
            PropertyAttributes attributes = context.attributes();
            Optional<Integer> tries = attributes.tries();
            attributes.setTries(tries.map(t -> Math.min(t, cap)).orElse(cap));
            attributes.setShrinking(ShrinkingMode.OFF);
        }
        return property.execute();
    }
}
