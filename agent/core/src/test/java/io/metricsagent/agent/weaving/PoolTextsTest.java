package io.metricsagent.agent.weaving;

import static io.metricsagent.agent.weaving.WeavingSupport.classBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

class PoolTextsTest {

    /** Declares doFilter, reads a long and a double (two-slot entries), and holds "prepareCall" only inside a longer text. */
    static final class Holder implements Callable<String>, Serializable {
        private static final long serialVersionUID = 1L;
        private final String note = "see prepareCallLater";
        private final long big = 1L << 40;
        private final double ratio = 0.25;

        void doFilter() {}

        @Override
        public String call() {
            return note + big + ratio;
        }
    }

    @Test
    void findsWholeEntriesAndStartsInOnePass() {
        PoolTexts.Builder builder = new PoolTexts.Builder();
        int doFilter = builder.add("doFilter", false);
        int doFilt = builder.add("doFilt", false);
        int doStar = builder.add("do", true);
        int prepareCall = builder.add("prepareCall", false);
        int string = builder.add("Ljava/lang/String;", false);
        int service = builder.add("service", false);
        PoolTexts texts = builder.build();

        long found = texts.find(classBytes(Holder.class.getName()));

        assertEquals(true, PoolTexts.has(found, doFilter));
        assertEquals(false, PoolTexts.has(found, doFilt), "a part of an entry is not the entry");
        assertEquals(true, PoolTexts.has(found, doStar));
        assertEquals(false, PoolTexts.has(found, prepareCall), "inside a longer text only");
        assertEquals(true, PoolTexts.has(found, string), "a field's descriptor");
        assertEquals(false, PoolTexts.has(found, service));
    }

    @Test
    void textsItCannotTellAreAlwaysFound() {
        PoolTexts.Builder builder = new PoolTexts.Builder();
        assertEquals(-1, builder.add("", false));
        assertEquals(-1, builder.add("bezahl\u00e9", false));
        assertEquals(true, PoolTexts.has(0, -1));
        for (int i = 0; i < 70; i++) {
            builder.add("absent" + i, false);
        }
        long found = builder.build().find(classBytes(Holder.class.getName()));
        assertEquals(false, PoolTexts.has(found, 63));
        assertEquals(true, PoolTexts.has(found, 64), "beyond 64 texts, every one is found");
    }

    @Test
    void aFileItCannotWalkIsSearchedByteByByte() {
        PoolTexts.Builder builder = new PoolTexts.Builder();
        int doFilter = builder.add("doFilter", false);
        int service = builder.add("service", false);
        PoolTexts texts = builder.build();
        byte[] classFile = classBytes(Holder.class.getName());

        byte[] truncated = Arrays.copyOf(classFile, 40);
        assertEquals(0, texts.find(truncated) & PoolTexts.bit(service));
        byte[] notAClass = "a text naming doFilter".getBytes(StandardCharsets.US_ASCII);
        assertEquals(PoolTexts.bit(doFilter), texts.find(notAClass));
        assertEquals(0, texts.find(new byte[0]));

        byte[] unknownTag = classFile.clone();
        unknownTag[10] = 99; // the first entry's tag
        assertEquals(PoolTexts.bit(doFilter), texts.find(unknownTag));
    }

    @Test
    void aClassOfEveryEntryKindIsWalkedToItsEnd() {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "shop/Kinds", null, "java/lang/Object", null);
        writer.newConst(3);
        writer.newConst(2.5f);
        writer.newConst(7L);
        writer.newConst(1.5d);
        writer.newConst("text");
        writer.newMethodType("()V");
        writer.newHandle(Opcodes.H_INVOKESTATIC, "shop/Kinds", "handle", "()V", false);
        writer.newInvokeDynamic("dynamic", "()V",
                new net.bytebuddy.jar.asm.Handle(Opcodes.H_INVOKESTATIC, "shop/Kinds", "bsm", "()V", false));
        writer.newModule("shop.module");
        writer.newPackage("shop/pkg");
        writer.newField("shop/Kinds", "field", "I");
        writer.newUTF8("lastOfAll");
        byte[] classFile = writer.toByteArray();

        PoolTexts.Builder builder = new PoolTexts.Builder();
        int last = builder.add("lastOfAll", false);
        int absent = builder.add("service", false);
        long found = builder.build().find(classFile);
        assertEquals(PoolTexts.bit(last), found & (PoolTexts.bit(last) | PoolTexts.bit(absent)));
    }
}
