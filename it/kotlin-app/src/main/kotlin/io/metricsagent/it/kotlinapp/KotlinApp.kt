package io.metricsagent.it.kotlinapp

import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicLong
import kotlin.system.exitProcess
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.runBlocking

/**
 * Calls every shape of Shapes.kt a known number of times, prints one line per call (the same with
 * and without the agent), then the time measured inside and around the suspend functions' calls,
 * callers waited for them, then `ready`; `serve` (the default) keeps it running to be scraped.
 */
fun main(args: Array<String>) {
    val mode = args.firstOrNull() ?: "serve"
    if (mode != "serve" && mode != "exit") {
        System.err.println("usage: KotlinApp [serve|exit]")
        exitProcess(2)
    }
    runPlainShapes()
    runJavaCallers()
    runBlocking { runSuspendShapes() }
    for (timing in Timings.values()) {
        println("time ${timing.gateway} inside_ns=${timing.insideNanos.get()} around_ns=${timing.aroundNanos.get()}")
    }
    println("ready")
    System.out.flush()
    if (mode == "serve") {
        CountDownLatch(1).await()
    }
}

/**
 * Per suspend shape, two bounds of the sum of its calls' durations: the time measured inside its
 * calls (in their delays, or around their own recursive call) and the time measured around them.
 */
enum class Timings(val gateway: String) {
    SETTLE("kt_suspend"), AUTHORIZE("kt_suspend_maybe"), FETCH("kt_suspend_tail"), POST("kt_suspend_open"),
    PARTS("kt_suspend_recursive");

    val insideNanos = AtomicLong()
    val aroundNanos = AtomicLong()

    fun inside(nanos: Long) {
        insideNanos.addAndGet(nanos)
    }

    inline fun <T> around(call: () -> T): T {
        val start = System.nanoTime()
        try {
            return call()
        } finally {
            aroundNanos.addAndGet(System.nanoTime() - start)
        }
    }
}

/** One call's outcome as a line: its result, or its exception's class and message. */
inline fun outcome(shape: String, n: Int, call: () -> String): String =
    try {
        "$shape $n ok ${call()}"
    } catch (e: Exception) {
        "$shape $n failed ${e.javaClass.simpleName}: ${e.message}"
    }

private fun runPlainShapes() {
    val checkout = Checkout()
    for (n in 0 until 10) {
        println(outcome("member", n) { checkout.charge(if (n % 5 == 4) -5.0 else 5.0, "member_tier", "card") })
    }
    for (n in 0 until 5) {
        println(outcome("jvmstatic", n) { Gateways.staticCharge(if (n == 4) -1.0 else 2.5, "from_kotlin") })
    }
    for (n in 0 until 4) {
        println(outcome("object_jvmstatic", n) { Registry.register(2.5, "from_kotlin") })
    }
    for (n in 0 until 2) {
        println(outcome("jvmstatic_overloads", n) { Gateways.of(2.5) })
        println(outcome("jvmstatic_overloads", n) { Gateways.of(2.5, "from_kotlin", "kotlin_method") })
    }
    val overloads = Overloads()
    for (n in 0 until 2) {
        println(outcome("jvmoverloads", n) { overloads.pay(2.5) })
        println(outcome("jvmoverloads", n) { overloads.pay(2.5, "from_kotlin", "kotlin_method") })
    }
    for (n in 0 until 6) {
        println(outcome("toplevel", n) { topLevelCharge(if (n == 5) 2000.0 else 4.0, "toplevel_tier") })
    }
    for (n in 0 until 6) {
        println(outcome("extension", n) { (if (n == 5) 5000.0 else 3.0).chargeAsExtension("extension_tier") })
    }
    val lists = listOf(listOf(1.0, 150.0), listOf(200.0), listOf(5.0, -1.0), listOf(1.0, 2.0))
    for (n in 0 until 8) {
        println(outcome("inline_lambda", n) { firstOver(100.0, "lambda_tier", lists[n % 4]) })
    }
}

private fun runJavaCallers() {
    for (line in JavaCallers.run()) {
        println(line)
    }
}

private suspend fun runSuspendShapes() {
    val settlement = Settlement()
    // One after the other: each call resumes on the thread that runBlocking lends.
    for (n in 0 until 10) {
        println(outcome("suspend", n) {
            Timings.SETTLE.around { settlement.settle(settleAmount(n), "seq", "card") }
        })
    }
    // At once on the default dispatcher: calls interleave and resume on other threads than they began on.
    val concurrent = coroutineScope {
        (0 until 40).map { n ->
            async(Dispatchers.Default) {
                outcome("suspend_concurrent", n) {
                    Timings.SETTLE.around { settlement.settle(settleAmount(n), "par", "card") }
                }
            }
        }.awaitAll()
    }
    concurrent.forEach(::println)

    for (n in 0 until 20) {
        println(outcome("suspend_nosusp", n) { settlement.quote(if (n % 5 == 4) -7.0 else 7.0, "nosusp_tier") })
    }

    val maybe = coroutineScope {
        (0 until 20).map { n ->
            async(Dispatchers.Default) {
                outcome("suspend_maybe", n) {
                    Timings.AUTHORIZE.around { settlement.authorize(if (n % 2 == 0) 50.0 else 500.0, "maybe_tier") }
                }
            }
        }.awaitAll()
    }
    maybe.forEach(::println)

    val ledger = Ledger()
    val posted = coroutineScope {
        (0 until 10).map { n ->
            async(Dispatchers.Default) {
                outcome("suspend_open", n) { Timings.POST.around { ledger.post(12.0, "open_tier") } }
            }
        }.awaitAll()
    }
    posted.forEach(::println)

    val parts = coroutineScope {
        (0 until 4).map { n ->
            async(Dispatchers.Default) {
                outcome("suspend_recursive", n) {
                    Timings.PARTS.around { settlement.settleInParts(1.0, "recursive_tier", 3) }.toString()
                }
            }
        }.awaitAll()
    }
    parts.forEach(::println)

    for (n in 0 until 6) {
        println(outcome("suspend_tail", n) { Timings.FETCH.around { settlement.fetch(30.0, "tail_tier") } })
    }
}

/** Every fifth settlement is over 1000 and fails after suspending; every tenth, negative, fails at once. */
private fun settleAmount(n: Int): Double = when {
    n % 5 == 4 -> 1500.0
    n % 10 == 7 -> -1.0
    else -> 20.0
}
