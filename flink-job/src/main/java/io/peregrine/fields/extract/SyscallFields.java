package io.peregrine.fields.extract;

import io.peregrine.fields.ExtractorFactory;
import io.peregrine.fields.FieldCatalog;
import io.peregrine.fields.FieldDefinition;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.UnknownFieldException;

/**
 * Binds every syscall field to its extractor over the state engine's context: one class per field
 * class, this one only dispatches.
 */
public final class SyscallFields implements ExtractorFactory {

    private SyscallFields() {
    }

    /** The field catalogue with real extractors: what the rules engine and replay use. */
    public static FieldCatalog catalog() {
        return new FieldCatalog(new SyscallFields());
    }

    @Override
    public FieldExtractor create(FieldDefinition d, String argument) throws UnknownFieldException {
        String cls = d.fieldClass();
        return switch (cls) {
            case "evt", "syscall" -> EventFields.create(d, argument);
            case "proc", "thread" -> ProcessFields.create(d, argument);
            case "fd", "fdlist" -> FdFields.create(d, argument);
            case "user", "group" -> UserFields.create(d, argument);
            case "container", "k8s" -> ContainerFields.create(d, argument);
            default -> throw new UnknownFieldException(d.name(), "no extractor for field class " + cls);
        };
    }
}
