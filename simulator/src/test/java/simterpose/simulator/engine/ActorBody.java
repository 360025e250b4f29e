package simterpose.simulator.engine;

/** The code of an actor; it blocks only through the {@link Actor} it receives. */
@FunctionalInterface
public interface ActorBody {
    void run(Actor self) throws Exception;
}
