package io.dagctl.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: {@code @ExtendWith(EmbeddedKafkaExtension.class)} starts one real single-node broker for the test class and
 * injects it as an {@link EmbeddedKafka} parameter (constructor, {@code @BeforeAll} or test method).
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        EmbeddedKafka kafka = context.getStore(NAMESPACE).remove(EmbeddedKafka.class, EmbeddedKafka.class);
        if (kafka != null) {
            kafka.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return kafka(context);
    }

    private static EmbeddedKafka kafka(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()
                && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(EmbeddedKafka.class, k -> EmbeddedKafka.startSingleNode(), EmbeddedKafka.class);
    }
}
