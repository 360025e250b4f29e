package simterpose.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code --cfg=KEY:VALUE} items of SimGrid's command lines, shared by predict and run. */
final class CfgItems {
    private CfgItems() {}

    /** The items in order (a later one wins), or a UserError naming the malformed one. */
    static Map<String, String> parse(List<String> items) {
        Map<String, String> cfg = new LinkedHashMap<>();
        for (String item : items) {
            int colon = item.indexOf(':');
            if (colon <= 0) {
                throw new UserError("--cfg=" + item + ": expected KEY:VALUE, e.g. network/model:CM02");
            }
            cfg.put(item.substring(0, colon), item.substring(colon + 1));
        }
        return cfg;
    }
}
