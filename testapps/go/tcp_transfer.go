// A TCP transfer written in Go, standard library only: what a Go program does under the
// simulation (static binary, raw syscalls, the runtime's own netpoller on epoll with
// non-blocking sockets, threads, futexes, time.Now through the vDSO or its syscall fallback).
//
// The client connects, sends BYTES bytes of the tcp test apps' pattern (testapps/src/tcp_common.h:
// byte i is (i * 2654435761 mod 2^32) >> 13) in writes of CHUNK bytes, then waits for the
// server's 8-byte reply: the number of bytes that matched the pattern, big-endian. The server
// accepts one connection, reads BYTES bytes, checks each against the pattern, replies, and waits
// for the client's close. Both print one RESULT line with the times they read on time.Now (the
// virtual clock under simulation) as exact seconds.nanoseconds since the Unix epoch, and mono,
// the CLOCK_MONOTONIC reading they start with (seconds since boot), read with a raw syscall: Go's
// API only shows monotonic time relative to the program's start.
//
// usage: tcp_transfer server PORT BYTES | tcp_transfer client HOST PORT BYTES CHUNK
package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"
	"unsafe"
)

func patternByte(i uint64) byte {
	return byte((uint32(i) * 2654435761) >> 13)
}

// stamp prints t exactly: a float64 would lose the nanoseconds of a date near 2^30 s.
func stamp(t time.Time) string {
	ns := t.UnixNano()
	return fmt.Sprintf("%d.%09d", ns/1e9, ns%1e9)
}

// monotonic reads CLOCK_MONOTONIC as the runtime does (the syscall, when the vDSO is hidden).
func monotonic() string {
	var ts syscall.Timespec
	if _, _, errno := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, 1, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		fail("clock_gettime", errno)
	}
	return fmt.Sprintf("%d.%09d", ts.Sec, ts.Nsec)
}

func fail(what string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
	os.Exit(1)
}

func number(s string) uint64 {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		fail("argument", err)
	}
	return n
}

func server(port string, total uint64) int {
	mono := monotonic()
	ln, err := net.Listen("tcp", ":"+port)
	if err != nil {
		fail("listen", err)
	}
	listening := time.Now()
	conn, err := ln.Accept()
	if err != nil {
		fail("accept", err)
	}
	accepted := time.Now()
	buf := make([]byte, 1<<16)
	var got, good uint64
	var first time.Time
	for got < total {
		want := total - got
		if want > uint64(len(buf)) {
			want = uint64(len(buf))
		}
		n, err := conn.Read(buf[:want])
		if n > 0 && first.IsZero() {
			first = time.Now()
		}
		for i := 0; i < n; i++ {
			if buf[i] == patternByte(got+uint64(i)) {
				good++
			}
		}
		got += uint64(n)
		if err != nil {
			fmt.Fprintf(os.Stderr, "read after %d bytes: %v\n", got, err)
			break
		}
	}
	last := time.Now()
	var reply [8]byte
	binary.BigEndian.PutUint64(reply[:], good)
	if _, err := conn.Write(reply[:]); err != nil {
		fail("write reply", err)
	}
	// the client closes once it has the reply: read to EOF, so that neither side resets
	var one [1]byte
	extra, _ := io.ReadFull(conn, one[:])
	closed := time.Now()
	conn.Close()
	ln.Close()
	fmt.Printf("RESULT bytes=%d bad=%d extra=%d mono=%s listening=%s accepted=%s first=%s last=%s closed=%s\n",
		got, got-good, extra, mono, stamp(listening), stamp(accepted), stamp(first), stamp(last), stamp(closed))
	if got != total || good != total || extra != 0 {
		return 1
	}
	return 0
}

func client(host, port string, total, chunk uint64) int {
	mono := monotonic()
	start := time.Now()
	conn, err := net.Dial("tcp", net.JoinHostPort(host, port))
	if err != nil {
		fail("dial", err)
	}
	connected := time.Now()
	buf := make([]byte, chunk)
	var sent uint64
	writes := 0
	for sent < total {
		n := chunk
		if total-sent < n {
			n = total - sent
		}
		for i := uint64(0); i < n; i++ {
			buf[i] = patternByte(sent + i)
		}
		// a Write on a net.Conn returns once all its bytes are in the kernel (or on error)
		if _, err := conn.Write(buf[:n]); err != nil {
			fail("write", err)
		}
		sent += n
		writes++
	}
	sentAt := time.Now()
	var reply [8]byte
	if _, err := io.ReadFull(conn, reply[:]); err != nil {
		fail("read reply", err)
	}
	replied := time.Now()
	conn.Close()
	good := binary.BigEndian.Uint64(reply[:])
	fmt.Printf("RESULT bytes=%d writes=%d good=%d mono=%s start=%s connected=%s sent=%s replied=%s\n",
		sent, writes, good, mono, stamp(start), stamp(connected), stamp(sentAt), stamp(replied))
	if good != total {
		return 1
	}
	return 0
}

func main() {
	a := os.Args
	switch {
	case len(a) == 4 && a[1] == "server":
		os.Exit(server(a[2], number(a[3])))
	case len(a) == 6 && a[1] == "client" && number(a[5]) > 0:
		os.Exit(client(a[2], a[3], number(a[4]), number(a[5])))
	}
	fmt.Fprintf(os.Stderr, "usage: %s server PORT BYTES | client HOST PORT BYTES CHUNK\n", a[0])
	os.Exit(2)
}
