package simterpose.simulator.platform;

import java.util.List;

/** The actors of a deployment file (or of the deployment part of a platform file), in document order. */
public record Deployment(List<ActorSpec> actors) {
    public Deployment {
        actors = List.copyOf(actors);
    }

    /**
     * Checks that every actor runs on a host of {@code platform}.
     *
     * @return this deployment
     * @throws PlatformException at the first actor naming an unknown host
     */
    public Deployment validate(Platform platform) {
        for (ActorSpec actor : actors) {
            if (platform.host(actor.host()).isEmpty()) {
                throw actor.location().error("actor '" + actor.function() + "': unknown host '" + actor.host()
                        + "' (expected one of the platform's " + platform.hosts().size() + " hosts)");
            }
        }
        return this;
    }
}
