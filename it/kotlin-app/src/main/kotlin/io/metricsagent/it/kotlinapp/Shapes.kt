package io.metricsagent.it.kotlinapp

import io.metricsagent.api.MeteredPayment
import io.metricsagent.api.MeteredPayment.Amount
import io.metricsagent.api.MeteredPayment.Method
import io.metricsagent.api.MeteredPayment.UserTier
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.withContext

// Every shape has its own gateway (also its currency and service), so that /metrics tells them apart.

/** A plain member function: one JVM method, one call per call. */
class Checkout {
    @MeteredPayment(gateway = "kt_member", currency = "kt_member", service = "kt_member")
    fun charge(@Amount amount: Double, @UserTier tier: String, @Method method: String): String {
        require(amount >= 0) { "negative amount" }
        return "charged $amount for $tier by $method"
    }
}

/** Suspend functions: one logical call may be several JVM calls, or end after its JVM call returned. */
class Settlement {

    /**
     * Suspends [SETTLE_STEPS] times, so each call enters the JVM method [SETTLE_STEPS] + 1 times;
     * the arguments are only passed on the first entry. A negative amount fails at once, before
     * suspending; a call over 1000 fails after its last step.
     */
    @MeteredPayment(gateway = "kt_suspend", currency = "kt_suspend", service = "kt_suspend")
    suspend fun settle(@Amount amount: Double, @UserTier tier: String, @Method method: String): String {
        require(amount >= 0) { "negative amount" }
        repeat(SETTLE_STEPS) {
            val start = System.nanoTime()
            delay(SETTLE_STEP_MILLIS)
            Timings.SETTLE.inside(System.nanoTime() - start)
        }
        check(amount <= 1000) { "declined after settling" }
        return "settled $amount for $tier by $method"
    }

    /** Has no suspension point: compiled without a state machine, it never suspends. */
    @MeteredPayment(gateway = "kt_suspend_nosusp", currency = "kt_suspend_nosusp", service = "kt_suspend_nosusp")
    suspend fun quote(@Amount amount: Double, @UserTier tier: String): String {
        require(amount >= 0) { "negative quote" }
        return "quote $amount for $tier"
    }

    /** A state machine whose calls up to 100 complete on their first entry, without suspending. */
    @MeteredPayment(gateway = "kt_suspend_maybe", currency = "kt_suspend_maybe", service = "kt_suspend_maybe")
    suspend fun authorize(@Amount amount: Double, @UserTier tier: String): String {
        if (amount > 100) {
            val start = System.nanoTime()
            delay(AUTHORIZE_DELAY_MILLIS)
            Timings.AUTHORIZE.inside(System.nanoTime() - start)
        }
        return "authorized $amount for $tier"
    }

    /**
     * Calls itself, handing the inner call its own continuation, which is an instance of the class
     * that marks a resumption but is not one: each level is a call of its own.
     */
    @MeteredPayment(gateway = "kt_suspend_recursive", currency = "kt_suspend_recursive", service = "kt_suspend_recursive")
    suspend fun settleInParts(@Amount amount: Double, @UserTier tier: String, parts: Int): Double {
        if (parts == 0) {
            return 0.0
        }
        val start = System.nanoTime()
        delay(PART_DELAY_MILLIS)
        val rest = Timings.PARTS.around { settleInParts(amount, tier, parts - 1) }
        Timings.PARTS.inside(System.nanoTime() - start)
        return amount + rest
    }

    /**
     * Its only suspension point is its tail call, so it has no state machine of its own: when it
     * suspends, its JVM method returns and is never entered again for that call.
     */
    @MeteredPayment(gateway = "kt_suspend_tail", currency = "kt_suspend_tail", service = "kt_suspend_tail")
    suspend fun fetch(@Amount amount: Double, @UserTier tier: String): String = withContext(Dispatchers.Default) {
        val start = System.nanoTime()
        delay(FETCH_DELAY_MILLIS)
        Timings.FETCH.inside(System.nanoTime() - start)
        "fetched $amount for $tier"
    }

    companion object {
        const val SETTLE_STEPS = 3
        const val SETTLE_STEP_MILLIS = 40L
        const val AUTHORIZE_DELAY_MILLIS = 260L
        const val FETCH_DELAY_MILLIS = 110L
        const val PART_DELAY_MILLIS = 30L
    }
}

/**
 * An open suspend function (as every function of a class opened by Kotlin's all-open plugin for
 * Spring): the annotated method only forwards to the synthetic static post$suspendImpl, which holds
 * the state machine and is the one entered again on each resumption.
 */
open class Ledger {
    @MeteredPayment(gateway = "kt_suspend_open", currency = "kt_suspend_open", service = "kt_suspend_open")
    open suspend fun post(@Amount amount: Double, @UserTier tier: String): String {
        repeat(POST_STEPS) {
            val start = System.nanoTime()
            delay(POST_STEP_MILLIS)
            Timings.POST.inside(System.nanoTime() - start)
        }
        return "posted $amount for $tier"
    }

    companion object {
        const val POST_STEPS = 2
        const val POST_STEP_MILLIS = 60L
    }
}

/** Companion members: @JvmStatic adds a static wrapper to [Gateways] that calls the companion's method. */
class Gateways {
    companion object {
        @JvmStatic
        @MeteredPayment(gateway = "kt_jvmstatic", currency = "kt_jvmstatic", service = "kt_jvmstatic")
        fun staticCharge(@Amount amount: Double, @UserTier tier: String): String {
            require(amount >= 0) { "negative amount" }
            return "static $amount for $tier"
        }

        /** Both at once: static wrappers of each overload, overloads that call the full method. */
        @JvmStatic
        @JvmOverloads
        @MeteredPayment(gateway = "kt_jvmstatic_overloads", currency = "kt_jvmstatic_overloads",
            service = "kt_jvmstatic_overloads")
        fun of(@Amount amount: Double, @UserTier tier: String = "default_tier",
               @Method method: String = "default_method"): String = "of $amount for $tier by $method"
    }
}

/** In an object, @JvmStatic makes the method itself static: no second method. */
object Registry {
    @JvmStatic
    @MeteredPayment(gateway = "kt_object_jvmstatic", currency = "kt_object_jvmstatic", service = "kt_object_jvmstatic")
    fun register(@Amount amount: Double, @UserTier tier: String): String = "registered $amount for $tier"
}

/** @JvmOverloads adds one overload per defaulted parameter; Kotlin callers that default go through pay$default. */
class Overloads {
    @JvmOverloads
    @MeteredPayment(gateway = "kt_jvmoverloads", currency = "kt_jvmoverloads", service = "kt_jvmoverloads")
    fun pay(@Amount amount: Double, @UserTier tier: String = "default_tier",
            @Method method: String = "default_method"): String {
        require(amount >= 0) { "negative amount" }
        return "paid $amount for $tier by $method"
    }
}

/** A top-level function: a static method of ShapesKt, this file's facade class. */
@MeteredPayment(gateway = "kt_toplevel", currency = "kt_toplevel", service = "kt_toplevel")
fun topLevelCharge(@Amount amount: Double, @UserTier tier: String): String {
    check(amount <= 1000) { "over the limit" }
    return "top-level $amount for $tier"
}

/** An extension function: the receiver is the static method's first parameter, here the amount. */
@MeteredPayment(gateway = "kt_extension", currency = "kt_extension", service = "kt_extension")
fun @receiver:Amount Double.chargeAsExtension(@UserTier tier: String): String {
    check(this <= 1000) { "over the limit" }
    return "extension $this for $tier"
}

/** An inline lambda: its body, its non-local return and its throw are all inlined into this method. */
@MeteredPayment(gateway = "kt_inline_lambda", currency = "kt_inline_lambda", service = "kt_inline_lambda")
fun firstOver(@Amount limit: Double, @UserTier tier: String, amounts: List<Double>): String {
    amounts.forEach {
        require(it >= 0) { "negative amount" }
        if (it > limit) {
            return "over $limit for $tier: $it"
        }
    }
    return "none over $limit for $tier"
}
