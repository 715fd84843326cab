attempts = [3, 9, 12, 7]
guess_target = 12
i = 0
while i < len(attempts):
    if attempts[i] == guess_target:
        print("got it on try", i + 1)
        break
    print("wrong:", attempts[i])
    i += 1
else:
    print("never guessed")
