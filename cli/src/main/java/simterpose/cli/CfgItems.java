package simterpose.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Platform;

/** The {@code --cfg=KEY:VALUE} items of SimGrid's command lines, shared by predict, run and compare. */
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

    /** The models' configuration: {@code cfg} over the platform's own {@code <config>}; a bad item is a UserError. */
    static ModelConfig resolve(Platform platform, Map<String, String> cfg) {
        try {
            return ModelConfig.resolve(platform.config(), cfg);
        } catch (IllegalArgumentException e) {
            throw new UserError("--cfg: " + e.getMessage());
        }
    }
}
