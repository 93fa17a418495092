package io.peregrine.fields.extract;

import io.peregrine.fields.FieldDefinition;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.state.GroupInfo;
import io.peregrine.state.UserInfo;

/** The {@code user.*} and {@code group.*} fields. */
final class UserFields {

    private UserFields() {
    }

    static FieldExtractor create(FieldDefinition d, String arg) {
        switch (d.name()) {
            case "user.uid":
                return Extractor.of(d, c -> c.thread() == null ? null : c.thread().uid);
            case "user.name":
                return Extractor.of(d, c -> {
                    UserInfo u = c.thread() == null ? null : c.engine().user(c.thread().uid);
                    return u == null ? null : u.name();
                });
            case "user.homedir":
                return Extractor.of(d, c -> {
                    UserInfo u = c.thread() == null ? null : c.engine().user(c.thread().uid);
                    return u == null ? null : u.homeDir();
                });
            case "user.shell":
                return Extractor.of(d, c -> {
                    UserInfo u = c.thread() == null ? null : c.engine().user(c.thread().uid);
                    return u == null ? null : u.shell();
                });
            case "user.loginuid":
                return Extractor.of(d, c -> c.thread() == null ? null : (long) (int) c.thread().loginUid);
            case "user.loginname":
                return Extractor.of(d, c -> {
                    if (c.thread() == null || c.thread().loginUid == 0xffffffffL) {
                        return null;
                    }
                    UserInfo u = c.engine().user(c.thread().loginUid);
                    return u == null ? null : u.name();
                });
            case "group.gid":
                return Extractor.of(d, c -> c.thread() == null ? null : c.thread().gid);
            case "group.name":
                return Extractor.of(d, c -> {
                    GroupInfo g = c.thread() == null ? null : c.engine().group(c.thread().gid);
                    return g == null ? null : g.name();
                });
            default:
                return Extractor.of(d, c -> null);
        }
    }
}
