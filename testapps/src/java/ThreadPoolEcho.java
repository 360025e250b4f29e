import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A thread-pool TCP echo, both ends: {@code server PORT CLIENTS} accepts CLIENTS connections and
 * serves each on a pool of 4 threads (each echoes 8-byte numbers until EOF), then exits;
 * {@code client HOST PORT CLIENTS ROUNDS} opens CLIENTS connections from a pool of as many
 * threads, each sending ROUNDS numbers and checking their echoes, and prints "ok SUM".
 */
public final class ThreadPoolEcho {
    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("server")) {
            server(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        } else if (args.length >= 5 && args[0].equals("client")) {
            client(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else {
            System.err.println("usage: ThreadPoolEcho server PORT CLIENTS | client HOST PORT CLIENTS ROUNDS");
            System.exit(2);
        }
    }

    private static void server(int port, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> served = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(port));
            for (int i = 0; i < clients; i++) {
                Socket s = listener.accept();
                served.add(pool.submit(() -> echo(s)));
            }
            for (Future<?> f : served) {
                f.get();
            }
        }
        pool.shutdown();
        System.out.println("served " + clients);
    }

    private static Void echo(Socket s) throws IOException {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
             DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            while (true) {
                long v;
                try {
                    v = in.readLong();
                } catch (java.io.EOFException eof) {
                    return null;
                }
                out.writeLong(v);
                out.flush();
            }
        }
    }

    private static void client(String host, int port, int clients, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Long>> sums = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            sums.add(pool.submit(() -> {
                try (Socket s = new Socket(host, port);
                     DataInputStream in = new DataInputStream(s.getInputStream());
                     DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
                    long sum = 0;
                    for (int r = 0; r < rounds; r++) {
                        long v = id * 1000L + r;
                        out.writeLong(v);
                        out.flush();
                        long back = in.readLong();
                        if (back != v) {
                            throw new IOException("echo " + back + " for " + v);
                        }
                        sum += back;
                    }
                    return sum;
                }
            }));
        }
        long total = 0;
        for (Future<Long> f : sums) {
            total += f.get();
        }
        pool.shutdown();
        System.out.println("ok " + total);
    }
}
